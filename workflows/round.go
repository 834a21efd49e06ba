package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/rules"
)

// RoundInput is one weekly round as its campaign plans it.
type RoundInput struct {
	CampaignID        int64
	RoundID           int64
	Number            int
	OpensAt, ClosesAt time.Time
	TimeLimit         time.Duration // the exam time limit: an attempt started at the close runs this long
	Settle            time.Duration // extra wait for the last automatic submissions
	Ranking           []string
	Prizes            rules.PrizeCounts
	ReminderAfter     time.Duration
	AutoApprove       bool
}

// Round states a round workflow passes through (mirrored in rounds.state).
const (
	roundScheduled        = contest.RoundScheduled
	roundOpen             = contest.RoundOpen
	roundClosed           = contest.RoundClosed
	roundAwaitingApproval = "awaiting_approval" // the workflow's own name for contest.RoundRanked
	roundApproved         = contest.RoundApproved
	roundPublished        = contest.RoundPublished
)

type round struct {
	input    RoundInput
	state    string
	mutex    workflow.Mutex
	verdict  string // the committee's decision on the current ranking: approved or sent_back
	summary  RankSummary
	rankings int
}

// RoundWorkflow runs one week: it opens and closes on the calendar, waits for the last
// attempts started before the close to reach their deadline, ranks, waits for the
// committee's approval (reminding it if slow; a send-back re-ranks), then hands the
// results to the publisher.
func RoundWorkflow(ctx workflow.Context, input RoundInput) (RankSummary, error) {
	r := &round{input: input, state: roundScheduled, mutex: workflow.NewMutex(ctx)}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, DecideUpdate, r.decide,
		workflow.UpdateHandlerOptions{Validator: r.validate}); err != nil {
		return r.summary, err
	}
	if err := r.run(ctx); err != nil {
		return r.summary, err
	}
	return r.summary, workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

// markRankedChange versions who marks a round ranked. Before it the ranking activity did,
// so the database could say "ranked" while the workflow still refused the approval; now
// the workflow marks it after it is ready to take the decision.
const markRankedChange = "round-marked-ranked-by-workflow"

func (r *round) advance(ctx workflow.Context, state string) error {
	r.state = state
	dbState := state
	if state == roundAwaitingApproval {
		if workflow.GetVersion(ctx, markRankedChange, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
			return nil
		}
		dbState = contest.RoundRanked
	}
	return workflow.ExecuteActivity(withShortActivity(ctx), ActivityAdvanceRound,
		RoundStateChange{RoundID: r.input.RoundID, State: dbState}).Get(ctx, nil)
}

func (r *round) run(ctx workflow.Context) error {
	if err := sleepUntil(ctx, r.input.OpensAt); err != nil {
		return err
	}
	if err := r.advance(ctx, roundOpen); err != nil {
		return err
	}
	if err := sleepUntil(ctx, r.input.ClosesAt); err != nil {
		return err
	}
	if err := r.advance(ctx, roundClosed); err != nil {
		return err
	}
	// An attempt started just before the close may run a whole time limit past it.
	if err := sleepUntil(ctx, r.input.ClosesAt.Add(r.input.TimeLimit+r.input.Settle)); err != nil {
		return err
	}
	for r.verdict != contest.OutcomeApproved {
		if err := r.rank(ctx); err != nil {
			return err
		}
		r.verdict = ""
		if err := r.advance(ctx, roundAwaitingApproval); err != nil {
			return err
		}
		if r.input.AutoApprove {
			d := Decision{Kind: contest.DecisionWeeklyResults, Round: r.input.Number, Outcome: contest.OutcomeApproved,
				ActorRole: systemActor, Comment: "Tự động phê duyệt trong buổi diễn tập."}
			if _, err := recordDecision(ctx, r.input.CampaignID, d); err != nil {
				return err
			}
			r.verdict = contest.OutcomeApproved
		}
		if err := awaitWithReminders(ctx, r.input.ReminderAfter, func() bool { return r.verdict != "" }, r.remind(ctx)); err != nil {
			return err
		}
	}
	if err := r.advance(ctx, roundApproved); err != nil {
		return err
	}
	if err := workflow.ExecuteActivity(withShortActivity(ctx), ActivityPublishRound, r.input.RoundID).Get(ctx, nil); err != nil {
		return fmt.Errorf("publish round %d: %w", r.input.Number, err)
	}
	r.state = roundPublished
	return nil
}

func (r *round) rank(ctx workflow.Context) error {
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		// Retries cover a database restart and attempts still running (a clock skew
		// between Temporal and PostgreSQL): ranking must wait for every result.
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 2 * time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute},
	})
	r.rankings++
	return workflow.ExecuteActivity(actx, ActivityRankRound, RankRequest{
		RoundID: r.input.RoundID, Criteria: r.input.Ranking, Prizes: r.input.Prizes,
	}).Get(ctx, &r.summary)
}

func (r *round) remind(ctx workflow.Context) func(int) error {
	return func(n int) error {
		return workflow.ExecuteActivity(withShortActivity(ctx), ActivityRemindCommittee, ReminderRequest{
			CampaignID: r.input.CampaignID, Stage: contest.DecisionWeeklyResults, Round: r.input.Number, Count: n,
		}).Get(ctx, nil)
	}
}

func (r *round) validate(d Decision) error {
	if d.Kind != contest.DecisionWeeklyResults {
		return stageConflict(r.state, "decision %q is not taken on a round", d.Kind)
	}
	if r.state != roundAwaitingApproval || r.verdict != "" {
		return stageConflict(r.state, "round %d is %s, not awaiting the approval of its results", r.input.Number, r.state)
	}
	return nil
}

func (r *round) decide(ctx workflow.Context, d Decision) (DecisionReceipt, error) {
	if err := r.mutex.Lock(ctx); err != nil {
		return DecisionReceipt{}, err
	}
	defer r.mutex.Unlock()
	if err := r.validate(d); err != nil {
		return DecisionReceipt{}, err
	}
	d.Round = r.input.Number
	at, err := recordDecision(ctx, r.input.CampaignID, d)
	if err != nil {
		return DecisionReceipt{}, err
	}
	r.verdict = d.Outcome
	return DecisionReceipt{Kind: d.Kind, Round: d.Round, Outcome: d.Outcome, Stage: r.state, DecidedAt: at}, nil
}
