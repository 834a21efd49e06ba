package auth

import (
	"crypto/rand"
	"fmt"
	"math/big"
)

// passwordAlphabet leaves out look-alikes (0/O, 1/l/I) so a password read aloud or
// copied from paper comes through.
const passwordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// GeneratedPasswordLength gives about 70 bits of entropy.
const GeneratedPasswordLength = 12

// NewPassword returns a random password for an account handed out by the organisers.
func NewPassword() (string, error) {
	out := make([]byte, GeneratedPasswordLength)
	limit := big.NewInt(int64(len(passwordAlphabet)))
	for i := range out {
		n, err := rand.Int(rand.Reader, limit)
		if err != nil {
			return "", fmt.Errorf("read random: %w", err)
		}
		out[i] = passwordAlphabet[n.Int64()]
	}
	return string(out), nil
}
