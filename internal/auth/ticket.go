package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// Tickets vouch for when a refused caller first came, so that coming back after a 503
// keeps its place in the hashing queue (Pool, WithArrival). A ticket is bound to one
// subject (the phone number being logged in or registered): a ticket handed around cannot
// move other people forward, and forging an early arrival needs the key. Replicas that
// share the key honour each other's tickets.
type Tickets struct {
	key []byte
	// MaxAge is how long a ticket keeps its place; an older one counts as a new arrival,
	// so tickets cannot be hoarded to jump a later rush.
	MaxAge time.Duration
}

// NewTickets signs with key; an empty key gets a random one (right for one process).
func NewTickets(key []byte) *Tickets {
	if len(key) == 0 {
		key = make([]byte, 32)
		_, _ = rand.Read(key)
	}
	return &Tickets{key: key, MaxAge: 5 * time.Minute}
}

// Issue returns a ticket saying subject first came at arrival.
func (t *Tickets) Issue(subject string, arrival time.Time) string {
	ms := strconv.FormatInt(arrival.UnixMilli(), 10)
	return ms + "." + t.sign(subject, ms)
}

// Arrival returns when ticket says subject first came, or now when the ticket is absent,
// forged, for another subject, from the future or older than MaxAge.
func (t *Tickets) Arrival(ticket, subject string, now time.Time) time.Time {
	ms, mac, ok := strings.Cut(ticket, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(t.sign(subject, ms))) {
		return now
	}
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil {
		return now
	}
	arrival := time.UnixMilli(n)
	if arrival.After(now) || now.Sub(arrival) > t.MaxAge {
		return now
	}
	return arrival
}

func (t *Tickets) sign(subject, ms string) string {
	m := hmac.New(sha256.New, t.key)
	m.Write([]byte(subject))
	m.Write([]byte{0})
	m.Write([]byte(ms))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}
