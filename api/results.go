package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
)

var errResultsNotPublished = newError(http.StatusNotFound, "results_not_published", "Kết quả tuần thi này chưa được công bố.")

// roundResults answers a round's published results; before publication there are none,
// and a rehearsal round's are never public (403 rehearsal_only).
func (s *server) roundResults(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	p, err := s.Store.Publication(c.Request.Context(), id)
	if errors.Is(err, contest.ErrNotFound) {
		fail(c, errResultsNotPublished)
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	publicJSON(c, p)
}

// roundTop answers the head of a published round's ranking (name, agency, correct
// answers, time used), as long as the campaign's public_top_size. Before publication the
// ranking is the committee's to approve, so there is none; a rehearsal's is never public.
func (s *server) roundTop(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	top, err := s.Store.PublishedTopRows(c.Request.Context(), id, func(raw []byte) int {
		settings, _ := rules.ParseSettings(raw)
		if settings.PublicTopSize <= 0 { // settings that do not parse
			return rules.DefaultPublicTopSize
		}
		return settings.PublicTopSize
	})
	if errors.Is(err, contest.ErrNotFound) {
		fail(c, errResultsNotPublished)
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	publicJSON(c, top)
}

// resultsFeed is the JSON feed portals embed: every published round of the default
// campaign (or of ?campaign=CODE), newest first. A rehearsal has no feed.
func (s *server) resultsFeed(c *gin.Context) {
	campaign, err := s.Store.DefaultCampaign(c.Request.Context())
	if code := c.Query("campaign"); code != "" {
		campaign, err = s.Store.CampaignByCodeShort(c.Request.Context(), code)
	}
	if errors.Is(err, contest.ErrNotFound) {
		fail(c, notFound("campaign"))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	if campaign.Rehearsal {
		fail(c, errRehearsalOnly)
		return
	}
	if campaign.Practice {
		fail(c, store.ErrPracticeRound)
		return
	}
	pubs, err := s.Store.PublishedRounds(c.Request.Context(), campaign.ID)
	if err != nil {
		fail(c, err)
		return
	}
	if pubs == nil {
		pubs = []store.Publication{}
	}
	c.Header("Access-Control-Allow-Origin", "*")
	publicJSON(c, gin.H{"campaign": campaign.Name, "campaign_code": campaign.Code, "rounds": pubs})
}
