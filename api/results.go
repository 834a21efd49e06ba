package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest/internal/store"
)

// roundResults answers a round's published results; before publication there are none,
// and a rehearsal round's are never public (403 rehearsal_only).
func (s *server) roundResults(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	p, err := s.Store.Publication(c.Request.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		fail(c, newError(http.StatusNotFound, "results_not_published", "Kết quả tuần thi này chưa được công bố."))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=60")
	c.JSON(http.StatusOK, p)
}

// resultsFeed is the JSON feed portals embed: every published round of the default
// campaign (or of ?campaign=CODE), newest first. A rehearsal has no feed.
func (s *server) resultsFeed(c *gin.Context) {
	campaign, err := s.Store.DefaultCampaign(c.Request.Context())
	if code := c.Query("campaign"); code != "" {
		campaign, err = s.Store.CampaignByCodeShort(c.Request.Context(), code)
	}
	if errors.Is(err, store.ErrNotFound) {
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
	pubs, err := s.Store.PublishedRounds(c.Request.Context(), campaign.ID)
	if err != nil {
		fail(c, err)
		return
	}
	if pubs == nil {
		pubs = []store.Publication{}
	}
	c.Header("Cache-Control", "public, max-age=60")
	c.Header("Access-Control-Allow-Origin", "*")
	c.JSON(http.StatusOK, gin.H{"campaign": campaign.Name, "campaign_code": campaign.Code, "rounds": pubs})
}
