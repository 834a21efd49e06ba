package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/campaigns"
	"github.com/hpcontest/contest/internal/store"
)

// CampaignRunner sends decisions to the campaign workflows and creates rehearsals.
type CampaignRunner interface {
	Decide(ctx context.Context, campaignID, roundID int64, d contest.Decision) (contest.DecisionReceipt, error)
	Rehearse(ctx context.Context, sourceCode string, opts campaigns.RehearsalOptions) (string, error)
	SetRevised(ctx context.Context, campaignID int64, s contest.SetRevision) error
}

type campaignView struct {
	store.CampaignView
	StageLabel string `json:"stage_label"`
	// WaitingForLabel names every item of Waiting, so that the page's header says what its
	// list of decisions shows: both come from the same items.
	WaitingForLabel string            `json:"waiting_for_label"`
	Waiting         []waitingItem     `json:"waiting"`
	RoundLabels     map[string]string `json:"round_state_labels"`
}

type waitingItem struct {
	store.WaitingItem
	Label string `json:"label"`
}

func newCampaignView(v store.CampaignView) campaignView {
	out := campaignView{CampaignView: v, StageLabel: contest.Label(contest.StageLabels, v.Stage), RoundLabels: contest.RoundStateLabels,
		Waiting: make([]waitingItem, len(v.Waiting))}
	names := make([]string, len(v.Waiting))
	for i, w := range v.Waiting {
		out.Waiting[i] = waitingItem{WaitingItem: w, Label: contest.WaitingLabel(w.Kind, w.Round)}
		names[i] = out.Waiting[i].Label
	}
	out.WaitingForLabel = strings.Join(names, "; ")
	return out
}

func (s *server) loadCampaign(c *gin.Context) (store.CampaignView, bool) {
	v, err := s.Store.CampaignByCode(c.Request.Context(), c.Param("code"))
	if errors.Is(err, contest.ErrNotFound) {
		fail(c, notFound("campaign"))
		return v, false
	}
	if err != nil {
		fail(c, err)
		return v, false
	}
	return v, true
}

func (s *server) getCampaign(c *gin.Context) {
	v, ok := s.loadCampaign(c)
	if !ok {
		return
	}
	c.JSON(http.StatusOK, newCampaignView(v))
}

type decisionRequest struct {
	Kind    string `json:"kind" validate:"required,oneof=question_set question_set_ready go_live weekly_results close_jury joint_meeting final_results ceremony_held"`
	Round   int    `json:"round" validate:"omitempty,min=1,max=1000"`
	Outcome string `json:"outcome" validate:"required,oneof=approved sent_back done"`
	Comment string `json:"comment" validate:"max=2000,plaintext"`
	// Override closes jury scoring with sheets missing; it needs a comment.
	Override bool `json:"override"`
	// QuestionSetRevision is the revision of the set the committee reviewed; when given, a
	// decision on a set that has changed since is refused rather than applied to a revision
	// nobody reviewed.
	QuestionSetRevision int `json:"question_set_revision" validate:"omitempty,min=1,max=1000000"`
}

var roundDecisions = map[string]bool{
	contest.DecisionQuestionSet: true, contest.DecisionQuestionSetReady: true, contest.DecisionWeeklyResults: true,
}

var (
	errRoundRequired   = newError(http.StatusBadRequest, "invalid_field", "Cần chọn tuần thi cho quyết định này.")
	errApprovalOutcome = newError(http.StatusBadRequest, "invalid_field", "Quyết định này chỉ có thể là phê duyệt (approved) hoặc trả lại (sent_back).")
	errAckOutcome      = newError(http.StatusBadRequest, "invalid_field", "Việc ghi nhận này chỉ nhận kết quả done.")
)

// decide records a committee (or, for a resubmitted question set, secretariat) decision
// through the workflow that owns the stage. A decision the stage does not allow is a 409
// naming the stage the campaign is in.
func (s *server) decide(c *gin.Context) {
	var req decisionRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	u := currentUser(c)
	allowed := u.Role == contest.RoleCommittee || (req.Kind == contest.DecisionQuestionSetReady && u.Role == contest.RoleSecretariat)
	if !allowed {
		fail(c, errForbidden)
		return
	}
	switch {
	case roundDecisions[req.Kind] && req.Round == 0:
		fail(c, errRoundRequired)
		return
	case contest.IsApproval(req.Kind) && req.Outcome == contest.OutcomeDone:
		fail(c, errApprovalOutcome)
		return
	case !contest.IsApproval(req.Kind) && req.Outcome != contest.OutcomeDone:
		fail(c, errAckOutcome)
		return
	}
	if !roundDecisions[req.Kind] {
		req.Round = 0
	}
	v, ok := s.loadCampaign(c)
	if !ok {
		return
	}
	if req.Kind == contest.DecisionCloseJury && !s.gateJuryClose(c, v.ID, &req) {
		return
	}
	var roundID int64
	for _, r := range v.Rounds {
		if r.Number == req.Round {
			roundID = r.ID
		}
	}
	if req.Round > 0 && roundID == 0 {
		fail(c, notFound("round"))
		return
	}
	if err := reviewedRevision(v, req); err != nil {
		fail(c, err)
		return
	}
	s.resendSetRevision(c, v, req)
	receipt, err := s.Campaigns.Decide(c.Request.Context(), v.ID, roundID, contest.Decision{
		Kind: req.Kind, Round: req.Round, Outcome: req.Outcome, ActorID: u.ID, ActorRole: u.Role, Comment: req.Comment,
	})
	if errors.Is(err, campaigns.ErrStageConflict) {
		fail(c, s.stageConflict(c, v.Code, req))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"kind": receipt.Kind, "round": receipt.Round, "outcome": receipt.Outcome,
		"decided_at": receipt.DecidedAt, "decided_by": u.FullName})
}

// stageConflict names, in Vietnamese, where the campaign (or the round) stands now.
func (s *server) stageConflict(c *gin.Context, code string, req decisionRequest) *Error {
	v, err := s.Store.CampaignByCode(c.Request.Context(), code)
	where := "không xác định"
	if err == nil {
		where = contest.Label(contest.StageLabels, v.Stage)
		if req.Kind == contest.DecisionWeeklyResults {
			for _, r := range v.Rounds {
				if r.Number == req.Round {
					where = fmt.Sprintf("%s; tuần %d: %s", where, r.Number, contest.Label(contest.RoundStateLabels, r.State))
				}
			}
		}
	}
	return newError(http.StatusConflict, "stage_conflict",
		fmt.Sprintf("Thao tác này không được phép ở giai đoạn hiện tại (%s).", where))
}

func (s *server) roundRanking(c *gin.Context) {
	v, settings, ok := s.campaignWithSettings(c)
	if !ok {
		return
	}
	number, ok := pathNumber(c, "number")
	if !ok {
		return
	}
	limit := 50
	if l, err := strconv.Atoi(c.DefaultQuery("limit", "50")); err == nil && l > 0 && l <= 1000 {
		limit = l
	}
	r, err := s.Store.RoundRanking(c.Request.Context(), v.ID, number, limit)
	if errors.Is(err, contest.ErrNotFound) {
		fail(c, notFound("round"))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	ties := 0
	for i, row := range r.Rows {
		if row.UnresolvedTie {
			ties++
		}
		// Says why a row without a prize has none, where the ranking alone would not.
		r.Rows[i].BelowPrizeMinimum = row.CorrectCount < settings.MinCorrectForPrize
	}
	c.JSON(http.StatusOK, gin.H{"ranking": r, "unresolved_tie_rows": ties, "min_correct_for_prize": settings.MinCorrectForPrize})
}

type rehearsalRequest struct {
	WeekSeconds      int  `json:"week_seconds" validate:"required,min=60,max=86400"`
	TimeLimitSeconds int  `json:"time_limit_seconds" validate:"omitempty,min=10,max=3600"`
	AutoApprove      bool `json:"auto_approve"`
}

func (s *server) rehearse(c *gin.Context) {
	var req rehearsalRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	code, err := s.Campaigns.Rehearse(c.Request.Context(), c.Param("code"), campaigns.RehearsalOptions{
		Week: time.Duration(req.WeekSeconds) * time.Second, TimeLimit: time.Duration(req.TimeLimitSeconds) * time.Second,
		AutoApprove: req.AutoApprove, Now: time.Now(),
	})
	if errors.Is(err, contest.ErrNotFound) {
		fail(c, notFound("campaign"))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"code": code})
}
