package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest/internal/store"
)

// myAttemptsLimit bounds the history one request returns: a campaign has a handful of
// rounds and a few attempts each.
const myAttemptsLimit = 100

type attemptSummaryView struct {
	ID          int64       `json:"id"`
	RoundID     int64       `json:"round_id"`
	RoundNumber int         `json:"round_number"`
	Status      string      `json:"status"`
	StartedAt   time.Time   `json:"started_at"`
	Deadline    time.Time   `json:"deadline"`
	Result      *resultView `json:"result"`
	Practice    bool        `json:"practice"`
}

// myAttempts lists the caller's own attempts, newest first, so that a page opened on
// another device can find the attempt still in progress and the results of past rounds.
func (s *server) myAttempts(c *gin.Context) {
	u, ok := requireParticipant(c)
	if !ok {
		return
	}
	// Rehearsal attempts are listed only to a tester: nothing of a rehearsal reaches anyone else.
	list, err := s.Store.ParticipantAttempts(c.Request.Context(), u.ID, myAttemptsLimit, store.MayRehearse(u.Role, u.IsTester))
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]attemptSummaryView, len(list))
	for i, a := range list {
		out[i] = attemptSummaryView{ID: a.ID, RoundID: a.RoundID, RoundNumber: a.RoundNumber, Status: a.Status,
			StartedAt: a.StartedAt, Deadline: a.Deadline, Practice: a.Practice}
		if a.Result != nil {
			g := practiceDisclosure(true)
			if !a.Practice {
				g = disclosure(disclosed{Now: a.Now, Closed: true, ClosesAt: a.RoundClosesAt,
					TimeLimit: a.TimeLimit, LatestDeadline: a.LatestDeadline, RoundState: a.RoundState, Settings: a.Settings})
			}
			out[i].Result = newResultView(*a.Result, g)
		}
	}
	c.JSON(http.StatusOK, gin.H{"attempts": out})
}
