package app

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"log/slog"

	"github.com/redis/go-redis/v9"

	"github.com/hpcontest/contest/api"
	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/challenge"
	"github.com/hpcontest/contest/internal/config"
)

// registrationChallenge builds the proof-of-work gate from the configuration; nil when
// CHALLENGE=off (the binary warns about that). Without CHALLENGE_SECRET a random secret is made: right for one process,
// wrong for several replicas (each would refuse the others' challenges), hence the warning.
func registrationChallenge(cfg config.ChallengeConfig, rdb *redis.Client, prefix string) *api.Challenge {
	if !cfg.Enabled {
		return nil
	}
	secret := []byte(cfg.Secret)
	if len(secret) == 0 {
		secret = make([]byte, 32)
		_, _ = rand.Read(secret)
		slog.Warn("CHALLENGE_SECRET unset: a random secret was generated for this process; multi-replica deployments must set CHALLENGE_SECRET, or a challenge issued by one replica is refused by another")
	}
	return &api.Challenge{
		Issuer: challenge.Issuer{Secret: secret, Difficulty: cfg.Difficulty, TTL: cfg.TTL},
		Spent:  &challenge.Spent{Redis: rdb, Prefix: prefix, Log: slog.Default().With("component", "challenge")},
	}
}

// retryTickets signs the hashing queue's retry tickets with a key derived from
// CHALLENGE_SECRET, which every replica already shares; without it each process has its own.
func retryTickets(secret string) *auth.Tickets {
	if secret == "" {
		return auth.NewTickets(nil)
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("contest retry tickets"))
	return auth.NewTickets(m.Sum(nil))
}
