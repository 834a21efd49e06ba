package store

import "github.com/hpcontest/contest"

// WaitingItem is one thing a campaign waits for: a decision someone must take, or the
// calendar. The staff pages show these and nothing else as "what is waiting", so that the
// header and the list of decisions can never disagree.
type WaitingItem struct {
	Kind  string `json:"kind"`  // a decision kind, or video_deadline
	Round int    `json:"round"` // the round the decision is about; 0 when none
	Actor string `json:"actor"` // committee, secretariat or calendar
}

// Who a waiting item waits for.
const (
	WaitingOnCommittee   = "committee"
	WaitingOnSecretariat = "secretariat"
	WaitingOnCalendar    = "calendar"
)

// WaitingItems derives what a campaign waits for from the state its workflows record:
// the stage's waiting_for (written by the campaign workflow as it enters a stage), each
// round's question set status (written with each decision the workflow records, and by an
// import that revises an approved set) and each
// round's state (a round is "ranked" once its own workflow is ready to take the
// committee's decision on it). The rounds stage itself waits for nothing but its rounds.
func WaitingItems(waitingFor string, rounds []RoundStatus) []WaitingItem {
	out := []WaitingItem{}
	switch waitingFor {
	case "":
	case "question_set_approvals":
		for _, r := range rounds {
			switch r.QuestionSetStatus {
			case "draft", "ready":
				out = append(out, WaitingItem{Kind: contest.DecisionQuestionSet, Round: r.Number, Actor: WaitingOnCommittee})
			case "sent_back":
				out = append(out, WaitingItem{Kind: contest.DecisionQuestionSetReady, Round: r.Number, Actor: WaitingOnSecretariat})
			}
		}
	case "video_deadline":
		out = append(out, WaitingItem{Kind: waitingFor, Actor: WaitingOnCalendar})
	default:
		out = append(out, WaitingItem{Kind: waitingFor, Actor: WaitingOnCommittee})
	}
	if waitingFor != "question_set_approvals" {
		// A set an import revised after the question bank stage is back with the committee.
		for _, r := range rounds {
			if r.QuestionSetStatus == "ready" && r.QuestionSetRevision > 1 {
				out = append(out, WaitingItem{Kind: contest.DecisionQuestionSet, Round: r.Number, Actor: WaitingOnCommittee})
			}
		}
	}
	for _, r := range rounds {
		if r.State == "ranked" {
			out = append(out, WaitingItem{Kind: contest.DecisionWeeklyResults, Round: r.Number, Actor: WaitingOnCommittee})
		}
	}
	return out
}

// AllowedDecision is a decision someone may take now, with the outcomes it takes (the
// usual one first). The staff pages draw their buttons from these and nothing else.
type AllowedDecision struct {
	Kind     string   `json:"kind"`
	Round    int      `json:"round"` // 0 when the decision is not about one round
	Outcomes []string `json:"outcomes"`
	By       string   `json:"by"` // the role that takes it: committee or secretariat
	// QuestionSetRevision is the revision a decision on a round's question set is about,
	// sent back with the decision so that one on a set revised since is refused.
	QuestionSetRevision int `json:"question_set_revision,omitempty"`
}

// AllowedDecisions are the waiting items that are decisions, as the workflows that own
// them will accept them: the calendar's items are waited for, not decided.
func AllowedDecisions(waiting []WaitingItem, rounds []RoundStatus) []AllowedDecision {
	out := []AllowedDecision{}
	for _, w := range waiting {
		if w.Actor == WaitingOnCalendar {
			continue
		}
		d := AllowedDecision{Kind: w.Kind, Round: w.Round, Outcomes: contest.DecisionOutcomes(w.Kind), By: w.Actor}
		if w.Kind == contest.DecisionQuestionSet || w.Kind == contest.DecisionQuestionSetReady {
			for _, r := range rounds {
				if r.Number == w.Round {
					d.QuestionSetRevision = r.QuestionSetRevision
				}
			}
		}
		out = append(out, d)
	}
	return out
}
