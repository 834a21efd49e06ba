// Package rules holds the contest rules as pure functions: drawing a question set,
// shuffling options, grading and ranking. Nothing here performs I/O or reads the clock.
package rules

import (
	"fmt"
	"math/rand/v2"
)

// OptionCount is fixed by the plan: every question has options A, B, C and D.
const OptionCount = 4

var optionKeys = [OptionCount]string{"A", "B", "C", "D"}

// OptionKey returns the letter shown for the option at display position i.
func OptionKey(i int) string { return optionKeys[i] }

// OptionIndex parses a letter A–D into its display position.
func OptionIndex(key string) (int, bool) {
	for i, k := range optionKeys {
		if k == key {
			return i, true
		}
	}
	return 0, false
}

// DrawQuestions picks n distinct question ids from pool, uniformly at random, in random order.
// The pool itself is left untouched so callers may share it.
func DrawQuestions(pool []int64, n int, rng *rand.Rand) ([]int64, error) {
	if n <= 0 {
		return nil, fmt.Errorf("draw %d questions: count must be positive", n)
	}
	if len(pool) < n {
		return nil, fmt.Errorf("draw %d questions from a set of %d: %w", n, len(pool), ErrQuestionSetTooSmall)
	}
	picked := make([]int64, len(pool))
	copy(picked, pool)
	// Partial Fisher–Yates: only the first n positions need to be settled.
	for i := 0; i < n; i++ {
		j := i + rng.IntN(len(picked)-i)
		picked[i], picked[j] = picked[j], picked[i]
	}
	return picked[:n], nil
}

// ShuffleOptions returns a random display order: order[k] is the original option index
// shown under key k.
func ShuffleOptions(rng *rand.Rand) [OptionCount]int {
	order := [OptionCount]int{0, 1, 2, 3}
	rng.Shuffle(OptionCount, func(i, j int) { order[i], order[j] = order[j], order[i] })
	return order
}
