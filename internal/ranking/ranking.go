// Package ranking is the application service that ranks a weekly round: it closes what
// is overdue, ranks the results under the campaign's rules and stores the ranking. The
// round workflow's activity calls it; so do the tests that rank without a workflow.
package ranking

import (
	"context"
	"errors"
	"fmt"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/attempts"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
)

// Summary is what the committee is asked to approve.
type Summary struct {
	Participants int
	PerfectCount int
	Winners      int
	Ties         int
}

// ErrAttemptsRunning means attempts of the round have not reached their deadline yet:
// try again later, ranking must wait for every result.
var ErrAttemptsRunning = errors.New("attempts of the round are still running")

// PermanentError is a ranking that no retry can make succeed (no such round, settings or
// criteria that do not parse). Kind names the cause: NotFound, BadSettings, BadRanking.
type PermanentError struct {
	Kind    string
	Message string
	Err     error
}

func (e *PermanentError) Error() string { return e.Message }
func (e *PermanentError) Unwrap() error { return e.Err }

// Ranker ranks rounds stored in PostgreSQL.
type Ranker struct {
	Store *store.Store
}

// Rank closes any attempt of the round whose deadline has passed (normally the exam
// workflows have), then ranks the round's results and stores the ranking.
func (k Ranker) Rank(ctx context.Context, roundID int64, criteria []string, prizes rules.PrizeCounts) (Summary, error) {
	overdue, running, err := k.Store.OpenAttemptsOfRound(ctx, roundID)
	if err != nil {
		return Summary{}, err
	}
	if running > 0 {
		return Summary{}, fmt.Errorf("round %d: %d: %w", roundID, running, ErrAttemptsRunning)
	}
	for _, id := range overdue {
		if _, err := (attempts.Finalizer{Store: k.Store}).Finalize(ctx, id, false); err != nil {
			return Summary{}, err
		}
	}
	// The prize minimum is read from the campaign row rather than carried in the request,
	// so that rounds whose workflows started before the rule existed apply it too.
	raw, err := k.Store.RoundCampaignSettings(ctx, roundID)
	if errors.Is(err, contest.ErrNotFound) {
		return Summary{}, &PermanentError{Kind: "NotFound", Message: "round not found", Err: err}
	}
	if err != nil {
		return Summary{}, err
	}
	settings, err := rules.ParseSettings(raw)
	if err != nil {
		return Summary{}, &PermanentError{Kind: "BadSettings", Message: err.Error(), Err: err}
	}
	rows, err := k.Store.RoundResults(ctx, roundID)
	if err != nil {
		return Summary{}, err
	}
	entries := make([]rules.Entry, len(rows))
	for i, r := range rows {
		entries[i] = rules.Entry(r)
	}
	ranking, err := rules.RankRound(entries, criteria, prizes, settings.MinCorrectForPrize)
	if err != nil {
		return Summary{}, &PermanentError{Kind: "BadRanking", Message: err.Error(), Err: err}
	}
	out := make([]store.RankingRow, len(ranking.Rows))
	summary := Summary{Participants: len(ranking.Rows), PerfectCount: ranking.PerfectCount, Ties: len(ranking.Ties)}
	for i, r := range ranking.Rows {
		out[i] = store.RankingRow{ParticipantID: r.ParticipantID, AttemptID: r.AttemptID, Rank: r.Rank,
			CorrectCount: r.CorrectCount, Prediction: r.Prediction, PredictionDistance: r.PredictionDistance,
			TimeUsedMS: r.TimeUsedMS, FinishedAt: r.FinishedAt, Prize: r.Prize, UnresolvedTie: r.UnresolvedTie}
		if r.Prize != "" {
			summary.Winners++
		}
	}
	if err := k.Store.SaveRanking(ctx, roundID, ranking.PerfectCount, out); err != nil {
		return Summary{}, fmt.Errorf("save ranking of round %d: %w", roundID, err)
	}
	return summary, nil
}
