package rules

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestDrawQuestions(t *testing.T) {
	pool := []int64{11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25}
	tests := []struct {
		name    string
		pool    []int64
		n       int
		wantErr error
	}{
		{name: "ten of fifteen", pool: pool, n: 10},
		{name: "whole set", pool: pool[:10], n: 10},
		{name: "one", pool: pool, n: 1},
		{name: "set too small", pool: pool[:9], n: 10, wantErr: ErrQuestionSetTooSmall},
		{name: "empty set", pool: nil, n: 10, wantErr: ErrQuestionSetTooSmall},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := slices.Clone(tt.pool)
			got, err := DrawQuestions(tt.pool, tt.n, rand.New(rand.NewPCG(1, 2)))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.n {
				t.Fatalf("drew %d, want %d", len(got), tt.n)
			}
			seen := map[int64]bool{}
			for _, id := range got {
				if seen[id] {
					t.Fatalf("question %d drawn twice", id)
				}
				if !slices.Contains(tt.pool, id) {
					t.Fatalf("question %d not in the set", id)
				}
				seen[id] = true
			}
			if !slices.Equal(before, tt.pool) {
				t.Fatal("the caller's set was modified")
			}
		})
	}
	if _, err := DrawQuestions(pool, 0, rand.New(rand.NewPCG(1, 2))); err == nil {
		t.Fatal("drawing zero questions should fail")
	}
}

// Every question of the set must be equally likely to be drawn; a biased shuffle would
// favour the first or last questions of the set.
func TestDrawQuestionsIsUniform(t *testing.T) {
	pool := make([]int64, 20)
	for i := range pool {
		pool[i] = int64(i)
	}
	rng := rand.New(rand.NewPCG(7, 9))
	counts := make([]int, len(pool))
	const draws = 20000
	for range draws {
		got, err := DrawQuestions(pool, 10, rng)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range got {
			counts[id]++
		}
	}
	want := draws * 10 / len(pool) // 10,000 each
	for id, c := range counts {
		if c < want*95/100 || c > want*105/100 {
			t.Errorf("question %d drawn %d times, want about %d", id, c, want)
		}
	}
}

func TestShuffleOptionsIsAPermutationAndUniform(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	// position of the original option 0 over many shuffles
	where := make([]int, OptionCount)
	const shuffles = 40000
	for range shuffles {
		order := ShuffleOptions(rng)
		sorted := slices.Clone(order[:])
		slices.Sort(sorted)
		if !slices.Equal(sorted, []int{0, 1, 2, 3}) {
			t.Fatalf("%v is not a permutation", order)
		}
		where[slices.Index(order[:], 0)]++
	}
	for k, c := range where {
		if c < shuffles/4*95/100 || c > shuffles/4*105/100 {
			t.Errorf("option A shown under key %s %d times, want about %d", OptionKey(k), c, shuffles/4)
		}
	}
}

func TestOptionKeys(t *testing.T) {
	for i := range OptionCount {
		got, ok := OptionIndex(OptionKey(i))
		if !ok || got != i {
			t.Errorf("OptionIndex(OptionKey(%d)) = %d, %v", i, got, ok)
		}
	}
	for _, bad := range []string{"", "E", "a", "AB", "1"} {
		if _, ok := OptionIndex(bad); ok {
			t.Errorf("OptionIndex(%q) accepted", bad)
		}
	}
}
