package workflows

import (
	"slices"

	"go.temporal.io/sdk/workflow"

	"github.com/hpcontest/contest"
)

// SetRevisedUpdate tells a campaign that a round's question set changed after it had been
// sent to or approved by the committee: the set has a new revision, which waits for the
// committee again, whatever stage the campaign is in.
const SetRevisedUpdate = "question_set_revised"

// SetRevised names the round whose set has a new revision.
type SetRevised struct {
	Round    int
	Revision int
}

func (c *campaign) validateSetRevised(s SetRevised) error {
	if !slices.ContainsFunc(c.plan.Rounds, func(r PlanRound) bool { return r.Number == s.Round }) {
		return stageConflict(c.stage, "the campaign has no round %d", s.Round)
	}
	return nil
}

// setRevised puts an approved set back before the committee. The database already says
// 'ready' (the import wrote it); this keeps the workflow's view, which validates the
// committee's decisions, the same. Sending it twice changes nothing.
func (c *campaign) setRevised(ctx workflow.Context, s SetRevised) error {
	if err := c.mutex.Lock(ctx); err != nil {
		return err
	}
	defer c.mutex.Unlock()
	i := slices.IndexFunc(c.plan.Rounds, func(r PlanRound) bool { return r.Number == s.Round })
	if c.setState[i] == contest.SetApproved {
		c.setState[i] = contest.SetReady
	}
	return nil
}

// setReopened allows a decision on a question set after the question bank stage, while
// the rounds are still to come or running, for a set a revision put back before the
// committee (or that the committee sent back since).
func (c *campaign) setReopened(d Decision) bool {
	if d.Kind != contest.DecisionQuestionSet && d.Kind != contest.DecisionQuestionSetReady {
		return false
	}
	if c.stage != StageTrialRun && c.stage != StageRounds {
		return false
	}
	i := slices.IndexFunc(c.plan.Rounds, func(r PlanRound) bool { return r.Number == d.Round })
	return i >= 0 && c.setState[i] != contest.SetApproved
}
