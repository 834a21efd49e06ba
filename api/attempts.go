package api

import (
	crand "crypto/rand"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/metrics"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
)

type optionView struct {
	Key  string `json:"key"`
	Text string `json:"text"`
}

// questionView is what a participant sees of a question. It has no field for the correct
// option: that only travels in reviewItem, after the round has closed.
type questionView struct {
	No      int          `json:"no"`
	Text    string       `json:"text"`
	Options []optionView `json:"options"`
}

type startAttemptResponse struct {
	AttemptID          int64          `json:"attempt_id"`
	StartedAt          time.Time      `json:"started_at"`
	Deadline           time.Time      `json:"deadline"`
	ServerTime         time.Time      `json:"server_time"`
	Questions          []questionView `json:"questions"`
	PredictionQuestion string         `json:"prediction_question"`
	// Practice marks an attempt of thi thử: never ranked, never counted.
	Practice bool `json:"practice"`
}

type resultView struct {
	Status string `json:"status"`
	// CorrectCount is null until the campaign lets the score be shown (after the round is
	// ranked, unless it chose "at submit"): a score at submit is an answer oracle.
	CorrectCount  *int      `json:"correct_count"`
	ScoreReleased bool      `json:"score_released"`
	QuestionCount int       `json:"question_count"`
	TimeUsedMS    int64     `json:"time_used_ms"`
	FinishedAt    time.Time `json:"finished_at"`
	// ScoreExpectedAt is, while the score is withheld, when the round's ranking is due.
	ScoreExpectedAt *time.Time `json:"score_expected_at,omitempty"`
}

// reviewItem reviews one question. Options are shuffled per person, so the keys alone
// ("you chose D, the answer is A") mean nothing once the page is gone: the item also
// carries the texts of the question, of the chosen option and of the correct one, and the
// document the question comes from.
type reviewItem struct {
	No          int     `json:"no"`
	Choice      *string `json:"choice"`
	CorrectKey  string  `json:"correct_key"`
	IsCorrect   bool    `json:"is_correct"`
	Question    string  `json:"question"`
	ChoiceText  *string `json:"choice_text"`
	CorrectText string  `json:"correct_text"`
	Source      string  `json:"source"`
}

func newReviewItem(q store.AttemptQuestion) reviewItem {
	item := reviewItem{No: q.No, CorrectKey: rules.CorrectKey(rules.AnsweredQuestion{OptionOrder: q.OptionOrder, Correct: q.Correct}),
		IsCorrect: q.IsCorrect != nil && *q.IsCorrect, Question: q.Text, CorrectText: q.Options[q.Correct], Source: q.SourceDocument}
	if q.Choice != nil {
		key := rules.OptionKey(*q.Choice)
		text := q.Options[q.OptionOrder[*q.Choice]]
		item.Choice, item.ChoiceText = &key, &text
	}
	return item
}

type attemptView struct {
	ID                 int64             `json:"id"`
	RoundID            int64             `json:"round_id"`
	Status             string            `json:"status"`
	StartedAt          time.Time         `json:"started_at"`
	Deadline           time.Time         `json:"deadline"`
	ServerTime         time.Time         `json:"server_time"`
	RemainingMS        int64             `json:"remaining_ms"`
	Answers            map[string]string `json:"answers"`
	Prediction         *int              `json:"prediction"`
	Questions          []questionView    `json:"questions"`
	PredictionQuestion string            `json:"prediction_question"`
	Result             *resultView       `json:"result,omitempty"`
	// Review carries the correct keys; it is filled only when rules.Disclose allows (no
	// attempt of the round can still be open, or the round is ranked, as the campaign
	// chose), so that nobody can pass the answers on to colleagues still sitting.
	Review []reviewItem `json:"review,omitempty"`
	// Practice marks an attempt of thi thử: never ranked nor counted, reviewed at once.
	Practice bool `json:"practice"`
	// Standing is the participant's place and prize once the round's results are
	// published (never for a rehearsal): what the result page shows after "sẽ được công bố".
	Standing *store.Standing `json:"standing,omitempty"`
}

func viewQuestions(qs []store.AttemptQuestion) []questionView {
	out := make([]questionView, len(qs))
	for i, q := range qs {
		opts := make([]optionView, rules.OptionCount)
		for k, original := range q.OptionOrder {
			opts[k] = optionView{Key: rules.OptionKey(k), Text: q.Options[original]}
		}
		out[i] = questionView{No: q.No, Text: q.Text, Options: opts}
	}
	return out
}

func newResultView(r contest.Result, g grant) *resultView {
	v := &resultView{Status: r.Status, QuestionCount: r.QuestionCount, TimeUsedMS: r.TimeUsedMS, FinishedAt: r.FinishedAt}
	if g.Score {
		count := r.CorrectCount
		v.CorrectCount, v.ScoreReleased = &count, true
	} else {
		v.ScoreExpectedAt = &g.ScoreExpectedAt
	}
	return v
}

// attemptGrant is what may be shown of an attempt, closed or not: practice shows all once
// closed; a real or rehearsal round follows rules.Disclose.
func attemptGrant(a store.Attempt, closed bool) grant {
	if a.Practice {
		return practiceDisclosure(closed)
	}
	return disclosure(disclosed{Now: a.Now, Closed: closed, ClosesAt: a.RoundClosesAt,
		TimeLimit: a.TimeLimit, LatestDeadline: a.LatestDeadline, RoundState: a.RoundState, Settings: a.Settings})
}

func newAttemptView(a store.Attempt) attemptView {
	g := attemptGrant(a, a.Status != contest.StatusInProgress)
	v := attemptView{ID: a.ID, RoundID: a.RoundID, Status: a.Status, StartedAt: a.StartedAt, Deadline: a.Deadline,
		ServerTime: a.Now, Answers: map[string]string{}, Prediction: a.Prediction,
		Questions: viewQuestions(a.Questions), PredictionQuestion: a.PredictionQuestion, Practice: a.Practice}
	if a.Status == contest.StatusInProgress && a.Deadline.After(a.Now) {
		v.RemainingMS = a.Deadline.Sub(a.Now).Milliseconds()
	}
	for _, q := range a.Questions {
		if q.Choice != nil {
			v.Answers[strconv.Itoa(q.No)] = rules.OptionKey(*q.Choice)
		}
	}
	if a.Result != nil {
		v.Result = newResultView(*a.Result, g)
	}
	if g.Review {
		for _, q := range a.Questions {
			v.Review = append(v.Review, newReviewItem(q))
		}
	}
	return v
}

// newDraw seeds a fresh generator from the OS for every attempt, so no participant's draw
// can be predicted from another's.
func newDraw() store.DrawFunc {
	var seed [32]byte
	_, _ = crand.Read(seed[:])
	rng := rand.New(rand.NewChaCha8(seed))
	return func(pool []int64, n int) ([]int64, [][4]int, error) {
		ids, err := rules.DrawQuestions(pool, n, rng)
		if err != nil {
			return nil, nil, err
		}
		orders := make([][4]int, n)
		for i := range orders {
			orders[i] = rules.ShuffleOptions(rng)
		}
		return ids, orders, nil
	}
}

// startAttempt opens an attempt; the store decides who may: participants in real rounds,
// staff and marked testers in rehearsal rounds.
func (s *server) startAttempt(c *gin.Context) {
	u := currentUser(c)
	roundID, ok := pathID(c, "id")
	if !ok {
		return
	}
	ctx := c.Request.Context()
	a, err := s.Store.StartAttempt(ctx, roundID, u.ID, newDraw())
	if errors.Is(err, contest.ErrNotFound) {
		fail(c, notFound("round"))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.Exams.Start(ctx, a.ID, a.Deadline); err != nil {
		fail(c, err)
		return
	}
	metrics.AttemptStarted()
	c.JSON(http.StatusCreated, startAttemptResponse{AttemptID: a.ID, StartedAt: a.StartedAt, Deadline: a.Deadline,
		ServerTime: a.Now, Questions: viewQuestions(a.Questions), PredictionQuestion: a.PredictionQuestion, Practice: a.Practice})
}

// writableAttempt answers the caller and the attempt id of an answer or prediction write.
// A participant's write goes straight to the store, whose guard refuses a rehearsal
// attempt to an account that may not sit it (the hot path loads nothing more); any other
// account can only own rehearsal attempts, which ownAttempt checks before the body is read.
func (s *server) writableAttempt(c *gin.Context) (store.SessionUser, int64, bool) {
	u := currentUser(c)
	if u.Role != contest.RoleParticipant {
		a, ok := s.ownAttempt(c)
		return u, a.ID, ok
	}
	id, ok := pathID(c, "id")
	return u, id, ok
}

// ownAttempt loads the caller's attempt and hides other participants' attempts behind a
// 404. Rehearsal attempts are for staff and marked testers only (a tester unmarked since
// is refused them); staff, barred from real rounds, own nothing else.
func (s *server) ownAttempt(c *gin.Context) (store.Attempt, bool) {
	u := currentUser(c)
	id, ok := pathID(c, "id")
	if !ok {
		return store.Attempt{}, false
	}
	a, err := s.Store.GetAttempt(c.Request.Context(), id)
	switch {
	case (errors.Is(err, contest.ErrNotFound) || (err == nil && a.ParticipantID != u.ID)) && u.Role != contest.RoleParticipant:
		fail(c, errNotParticipant)
		return a, false
	case errors.Is(err, contest.ErrNotFound) || (err == nil && a.ParticipantID != u.ID):
		fail(c, notFound("attempt"))
		return a, false
	case err != nil:
		fail(c, err)
		return a, false
	case a.Rehearsal && !store.MayRehearse(u.Role, u.IsTester):
		fail(c, errRehearsalOnly)
		return a, false
	case !a.Rehearsal && u.Role != contest.RoleParticipant:
		fail(c, errNotParticipant)
		return a, false
	}
	return a, true
}

func (s *server) getAttempt(c *gin.Context) {
	a, ok := s.ownAttempt(c)
	if !ok {
		return
	}
	v := newAttemptView(a)
	// Only a published round has a public standing; the lookup costs nothing before.
	if a.RoundState == "published" && !a.Rehearsal && a.Status != contest.StatusInProgress {
		st, found, err := s.Store.PublishedStanding(c.Request.Context(), a.RoundID, a.ParticipantID)
		if err != nil {
			fail(c, err)
			return
		}
		if found {
			v.Standing = &st
		}
	}
	c.JSON(http.StatusOK, v)
}

type answerRequest struct {
	Choice string `json:"choice" validate:"required,optionkey"`
}

func (s *server) saveAnswer(c *gin.Context) {
	u, id, ok := s.writableAttempt(c)
	if !ok {
		return
	}
	no, err := strconv.Atoi(c.Param("no"))
	if err != nil || no < 1 || no > 100 {
		fail(c, newError(http.StatusBadRequest, "invalid_question_no", "Số thứ tự câu hỏi không hợp lệ."))
		return
	}
	var req answerRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	choice, _ := rules.OptionIndex(req.Choice)
	if err := s.Store.SaveAnswer(c.Request.Context(), id, u.ID, no, choice); err != nil {
		metrics.AnswerRefused()
		fail(c, mapAttemptErr(err))
		return
	}
	metrics.AnswerSaved()
	c.JSON(http.StatusOK, gin.H{"no": no, "choice": req.Choice, "saved": true})
}

type predictionRequest struct {
	Count *int `json:"count" validate:"required,min=0,max=10000000"`
}

func (s *server) savePrediction(c *gin.Context) {
	u, id, ok := s.writableAttempt(c)
	if !ok {
		return
	}
	var req predictionRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if err := s.Store.SavePrediction(c.Request.Context(), id, u.ID, *req.Count); err != nil {
		fail(c, mapAttemptErr(err))
		return
	}
	c.JSON(http.StatusOK, gin.H{"count": *req.Count, "saved": true})
}

func mapAttemptErr(err error) error {
	if errors.Is(err, contest.ErrNotFound) {
		return notFound("attempt")
	}
	return err
}

// submit closes the attempt; a second submission, or one racing the deadline, gets the
// one result the attempt has.
func (s *server) submit(c *gin.Context) {
	a, ok := s.ownAttempt(c)
	if !ok {
		return
	}
	g := attemptGrant(a, true)
	if a.Result != nil {
		c.JSON(http.StatusOK, newResultView(*a.Result, g))
		return
	}
	res, err := s.Exams.Submit(c.Request.Context(), a.ID, a.Deadline)
	if err != nil {
		fail(c, err)
		return
	}
	metrics.AttemptSubmitted(res.Status)
	c.JSON(http.StatusOK, newResultView(res, g))
}
