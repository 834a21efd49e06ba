package rules

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkDrawQuestions draws one attempt's set as the start endpoint does: 10 of a
// round's 80 questions plus a shuffled option order for each, from a ChaCha8 generator.
func BenchmarkDrawQuestions(b *testing.B) {
	pool := make([]int64, 80)
	for i := range pool {
		pool[i] = int64(1000 + i)
	}
	var seed [32]byte
	rng := rand.New(rand.NewChaCha8(seed))
	b.ReportAllocs()
	for b.Loop() {
		ids, err := DrawQuestions(pool, 10, rng)
		if err != nil {
			b.Fatal(err)
		}
		for range ids {
			_ = ShuffleOptions(rng)
		}
	}
}

// BenchmarkGrade grades one attempt of 10 questions, 8 of them answered.
func BenchmarkGrade(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	qs := make([]AnsweredQuestion, 10)
	for i := range qs {
		qs[i] = AnsweredQuestion{OptionOrder: ShuffleOptions(rng), Correct: rng.IntN(OptionCount)}
		if i < 8 {
			c := rng.IntN(OptionCount)
			qs[i].Choice = &c
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, n := Grade(qs); n < 0 {
			b.Fatal("negative count")
		}
	}
}
