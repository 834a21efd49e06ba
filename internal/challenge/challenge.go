// Package challenge is the self-hosted proof-of-work challenge that registration asks for:
// no third-party captcha service sees who registers. The server hands out a signed puzzle;
// the browser spends about a second finding a counter whose hash has enough leading zero
// bits; the server checks the answer with one HMAC and one SHA-256, and refuses to take
// the same puzzle twice. A throw-away account then costs a bot real CPU time, while a
// person filling in the form never notices: the page solves it while they type.
package challenge

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math/bits"
	"strconv"
	"strings"
	"time"
)

// payloadLen is nonce (16 bytes) || expiry (Unix seconds, 8 bytes big-endian) || difficulty
// (1 byte). With the 8-byte counter it is 33 bytes: one SHA-256 block, the cheapest hash
// a phone can compute.
const payloadLen = 16 + 8 + 1

// Errors a verification can end with; the API words them for people.
var (
	ErrMissing  = errors.New("challenge: no solution sent")
	ErrInvalid  = errors.New("challenge: token or solution invalid")
	ErrExpired  = errors.New("challenge: expired")
	ErrReused   = errors.New("challenge: already used")
	ErrTooEasy  = errors.New("challenge: issued with a lower difficulty than required")
	errBadToken = ErrInvalid
)

// Challenge is what GET /api/v1/challenge hands out.
type Challenge struct {
	// Token is returned with the solution as it is; it carries the nonce, the expiry and
	// the difficulty, signed, so the server keeps no state until it is spent.
	Token string `json:"token"`
	// Nonce is the token's payload in hex: the bytes the client hashes before its counter.
	Nonce      string    `json:"nonce"`
	Difficulty int       `json:"difficulty"`
	ExpiresAt  time.Time `json:"expires_at"`
}

// Issuer signs and checks challenges with a server secret. Every replica must share the
// secret, or a challenge from one is refused by another.
type Issuer struct {
	Secret     []byte
	Difficulty int           // leading zero bits required of sha256(nonce || counter)
	TTL        time.Duration // how long a challenge may be solved and spent
}

// Issue makes a fresh challenge valid from now for TTL.
func (is Issuer) Issue(now time.Time) Challenge {
	p := make([]byte, payloadLen)
	_, _ = rand.Read(p[:16])
	exp := now.Add(is.TTL).Truncate(time.Second)
	binary.BigEndian.PutUint64(p[16:24], uint64(exp.Unix()))
	p[24] = byte(is.Difficulty)
	enc := base64.RawURLEncoding
	return Challenge{Token: enc.EncodeToString(p) + "." + enc.EncodeToString(is.mac(p)),
		Nonce: hex.EncodeToString(p), Difficulty: is.Difficulty, ExpiresAt: exp}
}

func (is Issuer) mac(p []byte) []byte {
	m := hmac.New(sha256.New, is.Secret)
	m.Write(p)
	return m.Sum(nil)[:16]
}

// Verify checks a solution in constant work: the signature, the expiry, the difficulty the
// token was issued with (never below what is required now) and the hash's leading zeros.
// It returns the key that identifies the challenge for the one-use check and how long that
// key must be remembered (until the challenge would expire anyway).
func (is Issuer) Verify(token, counter string, now time.Time) (key string, remember time.Duration, err error) {
	if token == "" || counter == "" {
		return "", 0, ErrMissing
	}
	b64, sig, ok := strings.Cut(token, ".")
	if !ok {
		return "", 0, errBadToken
	}
	enc := base64.RawURLEncoding
	p, err1 := enc.DecodeString(b64)
	s, err2 := enc.DecodeString(sig)
	if err1 != nil || err2 != nil || len(p) != payloadLen || !hmac.Equal(s, is.mac(p)) {
		return "", 0, errBadToken
	}
	n, err := strconv.ParseUint(counter, 10, 64)
	if err != nil {
		return "", 0, ErrInvalid
	}
	exp := time.Unix(int64(binary.BigEndian.Uint64(p[16:24])), 0)
	if !now.Before(exp) {
		return "", 0, ErrExpired
	}
	if int(p[24]) < is.Difficulty {
		return "", 0, ErrTooEasy
	}
	if LeadingZeroBits(Hash(p, n)) < int(p[24]) {
		return "", 0, ErrInvalid
	}
	return hex.EncodeToString(p[:16]), exp.Sub(now), nil
}

// Hash is sha256(payload || counter as 8 bytes big-endian), what the client searches over.
func Hash(payload []byte, counter uint64) [32]byte {
	var buf [payloadLen + 8]byte
	copy(buf[:], payload)
	binary.BigEndian.PutUint64(buf[payloadLen:], counter)
	return sha256.Sum256(buf[:len(payload)+8])
}

// LeadingZeroBits counts the zero bits at the start of h.
func LeadingZeroBits(h [32]byte) int {
	n := 0
	for _, b := range h {
		if b != 0 {
			return n + bits.LeadingZeros8(b)
		}
		n += 8
	}
	return n
}

// Solve finds a counter for c by brute force, as the browser does; for tests and tools.
func Solve(c Challenge) (uint64, error) {
	p, err := hex.DecodeString(c.Nonce)
	if err != nil || len(p) != payloadLen {
		return 0, errBadToken
	}
	for n := uint64(0); ; n++ {
		if LeadingZeroBits(Hash(p, n)) >= int(p[24]) {
			return n, nil
		}
	}
}
