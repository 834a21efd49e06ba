package config

import (
	"fmt"
	"os"
	"time"
)

// DefaultChallengeDifficulty is the leading zero bits registration's proof of work asks
// for: 2^17 hashes on average, about a second of a mid-range phone's JavaScript (headless
// Chromium with the CPU throttled 4× did about 121,000 hashes/s in the page; measured by
// webtest TestRegistrationSolvesTheChallenge, figures in docs/front-door.md). Each bit
// more doubles it.
const DefaultChallengeDifficulty = 17

// DefaultMaxConnections caps one API process's open connections: far above what a
// replica serves in a rush (requests are short), far below what exhausts its file
// descriptors and memory when slow clients hold connections open.
const DefaultMaxConnections = 2000

func challengeFromEnv() (ChallengeConfig, error) {
	c := ChallengeConfig{Secret: os.Getenv("CHALLENGE_SECRET")}
	switch v := env("CHALLENGE", "on"); v {
	case "on":
		c.Enabled = true
	case "off":
	default:
		return c, fmt.Errorf("CHALLENGE=%q: want on or off", v)
	}
	var err error
	if c.Difficulty, err = envInt("CHALLENGE_DIFFICULTY", DefaultChallengeDifficulty); err != nil {
		return c, err
	}
	if c.Difficulty < 1 || c.Difficulty > 32 {
		return c, fmt.Errorf("CHALLENGE_DIFFICULTY=%d: want 1 to 32 bits", c.Difficulty)
	}
	if c.TTL, err = envDuration("CHALLENGE_TTL", 10*time.Minute); err != nil {
		return c, err
	}
	return c, nil
}
