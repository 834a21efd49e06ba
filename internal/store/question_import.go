package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// What an import did, or would do, with one line.
const (
	ImportCreated   = "created"
	ImportUpdated   = "updated"
	ImportUnchanged = "unchanged"
	ImportRefused   = "refused"
)

// Where a change of a question came from (question_revisions.source).
const (
	ChangeByImport  = "import"
	ChangeBySeed    = "seed"
	ChangeByCommand = "command"
)

// ImportLine is one question of an import with the line of the file it came from.
type ImportLine struct {
	Line     int
	Question QuestionInput
}

// QuestionImport is a question bank to bring into a campaign.
type QuestionImport struct {
	CampaignID int64
	Lines      []ImportLine
	ChangedBy  int64 // 0 for the seed and the command line
	Source     string
	Sample     bool
	DryRun     bool // answer what would happen, write nothing
	// WriteNothing is set by a caller that refused lines of its own (a malformed line never
	// reaches the store): an import is all or nothing.
	WriteNothing bool
}

// LineProblem is why a line is refused, in Vietnamese.
type LineProblem struct {
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

// LineOutcome is the answer for one line.
type LineOutcome struct {
	Line     int           `json:"line"`
	Code     string        `json:"code"`
	Outcome  string        `json:"outcome"`
	Revision int           `json:"revision,omitempty"` // of the question, after the line
	Notes    []string      `json:"notes,omitempty"`
	Problems []LineProblem `json:"problems,omitempty"`
}

// SetRevision is a round's set that the import changed after it had been sent to or
// approved by the committee: it has a new revision and waits for the committee again.
type SetRevision struct {
	Round          int    `json:"round"`
	Revision       int    `json:"revision"`
	PreviousStatus string `json:"previous_status"`
	Status         string `json:"status"`
}

// ImportReport is the answer for a whole import.
type ImportReport struct {
	Lines       []LineOutcome `json:"lines"`
	SetsRevised []SetRevision `json:"sets_revised"`
	Written     bool          `json:"written"`
}

// Refused counts the refused lines.
func (r ImportReport) Refused() int {
	n := 0
	for _, l := range r.Lines {
		if l.Outcome == ImportRefused {
			n++
		}
	}
	return n
}

type importRound struct {
	id       int64
	number   int
	state    string
	status   string
	revision int
	running  bool // by the database's clock: between opening and closing
	over     bool // by the database's clock: past its closing time
}

// editable: once a round has closed, its set is what its results were computed from.
func (r *importRound) editable() bool {
	return (r.state == "scheduled" || r.state == "open") && !r.over
}

// submitted: the committee has been sent the set or has approved it.
func (r *importRound) submitted() bool { return r.status == "ready" || r.status == "approved" }

type importer struct {
	tx      pgx.Tx
	in      QuestionImport
	rounds  map[int]*importRound
	revised []SetRevision
}

// ImportQuestionLines checks and applies an import in one transaction and answers line by
// line. Nothing is written on a dry run or when any line is refused; the answer is the
// same either way. A question in a set the committee has been sent or has approved, or
// drawn by an attempt, is not edited in place: the change makes a new revision of it, and
// every such set gets a new revision that goes back to the committee ('ready').
func (s *Store) ImportQuestionLines(ctx context.Context, in QuestionImport) (ImportReport, error) {
	report := ImportReport{Lines: []LineOutcome{}, SetsRevised: []SetRevision{}}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return report, fmt.Errorf("begin import: %w", err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	imp := &importer{tx: tx, in: in, rounds: map[int]*importRound{}}
	// Locking the rounds orders this import with committee decisions on the same sets.
	rows, err := tx.Query(ctx, `
		SELECT id, number, state, question_set_status, question_set_revision,
		       now() >= opens_at AND now() < closes_at, now() >= closes_at
		FROM rounds WHERE campaign_id = $1 ORDER BY number FOR UPDATE`, in.CampaignID)
	if err != nil {
		return report, fmt.Errorf("lock rounds: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*importRound, error) {
		var ir importRound
		return &ir, r.Scan(&ir.id, &ir.number, &ir.state, &ir.status, &ir.revision, &ir.running, &ir.over)
	})
	if err != nil {
		return report, fmt.Errorf("scan rounds: %w", err)
	}
	for _, r := range list {
		imp.rounds[r.number] = r
	}
	for _, l := range in.Lines {
		out, err := imp.line(ctx, l)
		if err != nil {
			return report, fmt.Errorf("import line %d (%s): %w", l.Line, l.Question.Code, err)
		}
		report.Lines = append(report.Lines, out)
	}
	report.SetsRevised = append(report.SetsRevised, imp.revised...)
	if err := imp.flushSetRevisions(ctx); err != nil {
		return report, err
	}
	if in.DryRun || in.WriteNothing || report.Refused() > 0 {
		return report, nil
	}
	if err := tx.Commit(ctx); err != nil {
		return report, fmt.Errorf("commit import: %w", err)
	}
	report.Written = true
	return report, nil
}

type storedQuestion struct {
	id       int64
	revision int
	source   string
	text     string
	options  []string
	correct  int16
}

// questionSnapshot is a question as question_revisions records it, before and after.
type questionSnapshot struct {
	Revision      int       `json:"revision"`
	Source        string    `json:"source_document"`
	Text          string    `json:"text"`
	Options       [4]string `json:"options"`
	CorrectOption int       `json:"correct_option"`
	Rounds        []int     `json:"rounds"`
}

func (imp *importer) line(ctx context.Context, l ImportLine) (LineOutcome, error) {
	q := l.Question
	out := LineOutcome{Line: l.Line, Code: q.Code}
	refuse := func(column, format string, args ...any) {
		out.Outcome = ImportRefused
		out.Problems = append(out.Problems, LineProblem{Column: column, Message: fmt.Sprintf(format, args...)})
	}
	var target *importRound
	if q.Round > 0 {
		if target = imp.rounds[q.Round]; target == nil {
			refuse("round", "chiến dịch không có tuần %d", q.Round)
			return out, nil
		}
	}
	tx := imp.tx
	var old storedQuestion
	err := tx.QueryRow(ctx, `
		SELECT id, revision, source_document, text, options, correct_option FROM questions
		WHERE campaign_id = $1 AND code = $2 FOR UPDATE`, imp.in.CampaignID, q.Code).
		Scan(&old.id, &old.revision, &old.source, &old.text, &old.options, &old.correct)
	if errors.Is(err, pgx.ErrNoRows) {
		return imp.create(ctx, q, target, out)
	}
	if err != nil {
		return out, fmt.Errorf("load question: %w", err)
	}
	var memberOf []int
	if err := tx.QueryRow(ctx, `
		SELECT coalesce(array_agg(r.number ORDER BY r.number), '{}') FROM round_questions rq JOIN rounds r ON r.id = rq.round_id
		WHERE rq.question_id = $1`, old.id).Scan(&memberOf); err != nil {
		return out, fmt.Errorf("load the question's sets: %w", err)
	}
	before := questionSnapshot{Revision: old.revision, Source: old.source, Text: old.text, CorrectOption: int(old.correct), Rounds: memberOf}
	copy(before.Options[:], old.options)
	contentChanged := before.Source != q.Source || before.Text != q.Text || before.Options != q.Options || before.CorrectOption != q.Correct
	addTo := target != nil && !slices.Contains(memberOf, target.number)
	if !contentChanged && !addTo {
		out.Outcome, out.Revision = ImportUnchanged, old.revision
		return out, nil
	}
	var affected []*importRound
	if contentChanged {
		for _, n := range memberOf {
			affected = append(affected, imp.rounds[n])
		}
	}
	if addTo {
		affected = append(affected, target)
	}
	for _, r := range affected {
		if r.editable() {
			continue
		}
		if contentChanged && r != target {
			refuse("", "câu hỏi %s thuộc bộ câu hỏi của tuần %d, tuần này đã kết thúc nên không thể sửa câu hỏi; hãy dùng mã mới cho câu hỏi đã sửa", q.Code, r.number)
		} else {
			refuse("round", "tuần %d đã kết thúc; bộ câu hỏi của tuần này không thể thay đổi nữa", r.number)
		}
	}
	if out.Outcome == ImportRefused {
		return out, nil
	}
	action, id, previous := "added_to_set", old.id, int64(0)
	out.Revision = old.revision
	if contentChanged {
		frozen, err := imp.frozen(ctx, old.id, memberOf)
		if err != nil {
			return out, err
		}
		if frozen {
			if id, err = imp.newRevision(ctx, q, old); err != nil {
				return out, err
			}
			action, previous, out.Revision = "new_revision", old.id, old.revision+1
			out.Notes = append(out.Notes, fmt.Sprintf("tạo phiên bản %d của câu hỏi; bài thi đã bắt đầu vẫn giữ phiên bản %d", old.revision+1, old.revision))
		} else {
			action = "updated_in_place"
			if _, err := tx.Exec(ctx, `
				UPDATE questions SET source_document = $2, text = $3, options = $4, correct_option = $5, is_sample = $6 WHERE id = $1`,
				old.id, q.Source, q.Text, q.Options[:], q.Correct, imp.in.Sample); err != nil {
				return out, fmt.Errorf("update question: %w", err)
			}
		}
	}
	if addTo {
		if err := imp.addToSet(ctx, target, id); err != nil {
			return out, err
		}
	}
	setsRevised := imp.touch(affected, &out)
	after := questionSnapshot{Revision: out.Revision, Source: q.Source, Text: q.Text, Options: q.Options, CorrectOption: q.Correct, Rounds: memberOf}
	if addTo {
		after.Rounds = append(slices.Clone(memberOf), target.number)
		slices.Sort(after.Rounds)
	}
	if err := imp.audit(ctx, q.Code, action, id, previous, &before, after, setsRevised); err != nil {
		return out, err
	}
	out.Outcome = ImportUpdated
	return out, nil
}

func (imp *importer) create(ctx context.Context, q QuestionInput, target *importRound, out LineOutcome) (LineOutcome, error) {
	if target != nil && !target.editable() {
		out.Outcome = ImportRefused
		out.Problems = append(out.Problems, LineProblem{Column: "round",
			Message: fmt.Sprintf("tuần %d đã kết thúc; bộ câu hỏi của tuần này không thể thay đổi nữa", target.number)})
		return out, nil
	}
	var id int64
	if err := imp.tx.QueryRow(ctx, `
		INSERT INTO questions (campaign_id, code, source_document, text, options, correct_option, is_sample)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		imp.in.CampaignID, q.Code, q.Source, q.Text, q.Options[:], q.Correct, imp.in.Sample).Scan(&id); err != nil {
		return out, fmt.Errorf("insert question: %w", err)
	}
	after := questionSnapshot{Revision: 1, Source: q.Source, Text: q.Text, Options: q.Options, CorrectOption: q.Correct, Rounds: []int{}}
	var setsRevised []int
	if target != nil {
		if err := imp.addToSet(ctx, target, id); err != nil {
			return out, err
		}
		after.Rounds = []int{target.number}
		setsRevised = imp.touch([]*importRound{target}, &out)
	}
	if err := imp.audit(ctx, q.Code, "created", id, 0, nil, after, setsRevised); err != nil {
		return out, err
	}
	out.Outcome, out.Revision = ImportCreated, 1
	return out, nil
}

// frozen reports whether a question may no longer change in place: an attempt drew it,
// or it is in a set the committee has been sent or has approved.
func (imp *importer) frozen(ctx context.Context, id int64, memberOf []int) (bool, error) {
	for _, n := range memberOf {
		if imp.rounds[n].submitted() {
			return true, nil
		}
	}
	var drawn bool
	if err := imp.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM attempt_questions WHERE question_id = $1)`, id).Scan(&drawn); err != nil {
		return false, fmt.Errorf("check attempts: %w", err)
	}
	return drawn, nil
}

// newRevision archives the current row under "<code>~r<revision>" (attempts keep pointing
// at it) and makes a new row the question, in every set the old one was in.
func (imp *importer) newRevision(ctx context.Context, q QuestionInput, old storedQuestion) (int64, error) {
	tx := imp.tx
	if _, err := tx.Exec(ctx, `UPDATE questions SET code = code || '~r' || revision WHERE id = $1`, old.id); err != nil {
		return 0, fmt.Errorf("archive revision %d: %w", old.revision, err)
	}
	var id int64
	if err := tx.QueryRow(ctx, `
		INSERT INTO questions (campaign_id, code, source_document, text, options, correct_option, is_sample, revision)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		imp.in.CampaignID, q.Code, q.Source, q.Text, q.Options[:], q.Correct, imp.in.Sample, old.revision+1).Scan(&id); err != nil {
		return 0, fmt.Errorf("insert revision %d: %w", old.revision+1, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE questions SET superseded_by = $2 WHERE id = $1`, old.id, id); err != nil {
		return 0, fmt.Errorf("link revisions: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE round_questions SET question_id = $2 WHERE question_id = $1`, old.id, id); err != nil {
		return 0, fmt.Errorf("put revision %d in its sets: %w", old.revision+1, err)
	}
	return id, nil
}

func (imp *importer) addToSet(ctx context.Context, r *importRound, questionID int64) error {
	if _, err := imp.tx.Exec(ctx, `INSERT INTO round_questions (round_id, question_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
		r.id, questionID); err != nil {
		return fmt.Errorf("add to the set of round %d: %w", r.number, err)
	}
	return nil
}

// touch gives each changed set the committee had been sent or had approved a new
// revision, once per import, and sends it back to the committee.
func (imp *importer) touch(rounds []*importRound, out *LineOutcome) []int {
	var revised []int
	for _, r := range rounds {
		i := slices.IndexFunc(imp.revised, func(s SetRevision) bool { return s.Round == r.number })
		if i < 0 && !r.submitted() {
			continue
		}
		if i < 0 {
			imp.revised = append(imp.revised, SetRevision{Round: r.number, Revision: r.revision + 1, PreviousStatus: r.status, Status: "ready"})
			i = len(imp.revised) - 1
			r.revision++
			r.status = "ready"
		}
		revised = append(revised, r.number)
		note := fmt.Sprintf("bộ câu hỏi tuần %d chuyển sang phiên bản %d và chờ Ban Tổ chức phê duyệt lại", r.number, imp.revised[i].Revision)
		if r.running {
			note += "; trong lúc chờ, người dự thi chưa thể bắt đầu bài thi mới của tuần này"
		}
		out.Notes = append(out.Notes, note)
	}
	return revised
}

func (imp *importer) audit(ctx context.Context, code, action string, id, previous int64, before *questionSnapshot, after questionSnapshot, setsRevised []int) error {
	afterJSON, err := json.Marshal(after)
	if err != nil {
		return err
	}
	var beforeJSON []byte
	if before != nil {
		if beforeJSON, err = json.Marshal(before); err != nil {
			return err
		}
	}
	var prev, by *int64
	if previous > 0 {
		prev = &previous
	}
	if imp.in.ChangedBy > 0 {
		by = &imp.in.ChangedBy
	}
	if setsRevised == nil {
		setsRevised = []int{}
	}
	if _, err := imp.tx.Exec(ctx, `
		INSERT INTO question_revisions (campaign_id, code, action, question_id, previous_question_id, before, after, sets_revised, changed_by, source)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		imp.in.CampaignID, code, action, id, prev, beforeJSON, afterJSON, setsRevised, by, imp.in.Source); err != nil {
		return fmt.Errorf("audit question change: %w", err)
	}
	return nil
}

// flushSetRevisions writes the new revision and status of every set the import changed.
func (imp *importer) flushSetRevisions(ctx context.Context) error {
	for _, s := range imp.revised {
		r := imp.rounds[s.Round]
		if _, err := imp.tx.Exec(ctx, `UPDATE rounds SET question_set_revision = $2, question_set_status = 'ready' WHERE id = $1`,
			r.id, s.Revision); err != nil {
			return fmt.Errorf("revise the set of round %d: %w", s.Round, err)
		}
	}
	return nil
}

// ImportQuestions creates or updates questions by code and adds each to its round's set
// (the seed and `contest import-questions`); all rows or none are imported.
func (s *Store) ImportQuestions(ctx context.Context, campaignID int64, rows []QuestionInput, sample bool) (int, error) {
	in := QuestionImport{CampaignID: campaignID, Source: ChangeByCommand, Sample: sample}
	if sample {
		in.Source = ChangeBySeed
	}
	for i, q := range rows {
		in.Lines = append(in.Lines, ImportLine{Line: i + 2, Question: q})
	}
	report, err := s.ImportQuestionLines(ctx, in)
	if err != nil {
		return 0, err
	}
	var refused []string
	for _, l := range report.Lines {
		for _, p := range l.Problems {
			refused = append(refused, fmt.Sprintf("line %d (%s): %s", l.Line, l.Code, p.Message))
		}
	}
	if len(refused) > 0 {
		return 0, fmt.Errorf("%d lines refused, nothing imported: %s", report.Refused(), strings.Join(refused, "; "))
	}
	return len(rows), nil
}
