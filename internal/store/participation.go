package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hpcontest/contest"
)

// ---- Participation ------------------------------------------------------------------

// ParticipationCounts are the distinct participants who sat at least once (who have a
// result), by the agency they belonged to when they sat: per round and over the campaign.
type ParticipationCounts struct {
	Rounds  []RoundSpec           // the campaign's rounds, in order
	ByRound map[int]map[int64]int // round number → agency id → participants
	Overall map[int64]int         // agency id → participants over every round
}

// ParticipationCounts counts, in one pass over the campaign's results, the distinct
// participants of each agency per round and over the whole campaign (a participant who
// sat three weeks counts once overall).
func (s *Store) ParticipationCounts(ctx context.Context, campaignID int64) (ParticipationCounts, error) {
	out := ParticipationCounts{ByRound: map[int]map[int64]int{}, Overall: map[int64]int{}}
	rows, err := s.pool.Query(ctx, `SELECT number, opens_at, closes_at FROM rounds WHERE campaign_id = $1 ORDER BY number`, campaignID)
	if err != nil {
		return out, fmt.Errorf("load rounds: %w", err)
	}
	if out.Rounds, err = pgx.CollectRows(rows, pgx.RowToStructByPos[RoundSpec]); err != nil {
		return out, fmt.Errorf("scan rounds: %w", err)
	}
	for _, r := range out.Rounds {
		out.ByRound[r.Number] = map[int64]int{}
	}
	rows, err = s.pool.Query(ctx, `
		SELECT r.number, res.agency_id, count(DISTINCT res.participant_id)::int
		FROM results res JOIN rounds r ON r.id = res.round_id
		-- An account its agency's roster does not list counts only once confirmed.
		JOIN users u ON u.id = res.participant_id AND u.counts_for_agency
		WHERE r.campaign_id = $1 AND res.agency_id IS NOT NULL
		GROUP BY GROUPING SETS ((r.number, res.agency_id), (res.agency_id))`, campaignID)
	if err != nil {
		return out, fmt.Errorf("count participants: %w", err)
	}
	var (
		number   *int
		agencyID int64
		count    int
	)
	_, err = pgx.ForEachRow(rows, []any{&number, &agencyID, &count}, func() error {
		if number == nil {
			out.Overall[agencyID] = count
			return nil
		}
		if out.ByRound[*number] == nil {
			out.ByRound[*number] = map[int64]int{}
		}
		out.ByRound[*number][agencyID] = count
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("scan participant counts: %w", err)
	}
	return out, nil
}

// ReportCampaign loads a campaign's rules and its stage by id.
func (s *Store) ReportCampaign(ctx context.Context, id int64) (Campaign, error) {
	c, err := scanCampaign(s.pool.QueryRow(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return c, contest.ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("load campaign %d: %w", id, err)
	}
	return c, nil
}

// ---- Headcounts ---------------------------------------------------------------------

// Sources of a headcount change.
const (
	HeadcountImport     = "import"
	HeadcountCorrection = "correction"
)

// HeadcountChange is one entry of an agency's headcount history.
type HeadcountChange struct {
	ID           int64     `json:"id"`
	AgencyID     int64     `json:"agency_id"`
	OldHeadcount int       `json:"old_headcount"`
	NewHeadcount int       `json:"new_headcount"`
	OldWasSample bool      `json:"old_was_sample"`
	ChangedByID  *int64    `json:"changed_by_id"`
	ChangedBy    string    `json:"changed_by"`
	ChangedAt    time.Time `json:"changed_at"`
	Source       string    `json:"source"`
	Note         string    `json:"note"`
}

// HeadcountRow is one line of a headcount import; Line is where it came from in the file.
type HeadcountRow struct {
	Line      int
	Code      string
	Headcount int
}

// UnknownAgencyCodeError names the first line of an import whose agency code is unknown.
type UnknownAgencyCodeError struct {
	Line int
	Code string
}

func (e *UnknownAgencyCodeError) Error() string {
	return fmt.Sprintf("line %d: unknown agency code %q", e.Line, e.Code)
}

// HeadcountImportSummary says what an import changed.
type HeadcountImportSummary struct {
	Rows      int `json:"rows"`
	Changed   int `json:"changed"`
	Unchanged int `json:"unchanged"`
}

// AgencyByID loads one agency.
func (s *Store) AgencyByID(ctx context.Context, id int64) (Agency, error) {
	return agencyByID(ctx, s.pool, id, false)
}

func agencyByID(ctx context.Context, q querier, id int64, lock bool) (Agency, error) {
	var a Agency
	sql := `SELECT id, code, name, category, parent_id, headcount, headcount_is_sample FROM agencies WHERE id = $1`
	if lock {
		sql += ` FOR UPDATE`
	}
	err := q.QueryRow(ctx, sql, id).Scan(&a.ID, &a.Code, &a.Name, &a.Category, &a.ParentID, &a.Headcount, &a.HeadcountIsSample)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, contest.ErrNotFound
	}
	if err != nil {
		return a, fmt.Errorf("load agency %d: %w", id, err)
	}
	return a, nil
}

// CorrectHeadcount sets one agency's headcount and clears its sample mark, appending the
// change to its history in the same transaction. Confirming the figure it already has
// (and that is not a sample) changes nothing and records nothing: change is nil.
func (s *Store) CorrectHeadcount(ctx context.Context, agencyID int64, headcount int, by int64, note string) (a Agency, change *HeadcountChange, err error) {
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if a, err = agencyByID(ctx, tx, agencyID, true); err != nil {
			return err
		}
		if a.Headcount == headcount && !a.HeadcountIsSample {
			return nil
		}
		c := HeadcountChange{AgencyID: a.ID, OldHeadcount: a.Headcount, NewHeadcount: headcount, OldWasSample: a.HeadcountIsSample,
			ChangedByID: &by, Source: HeadcountCorrection, Note: note}
		if _, err := tx.Exec(ctx, `UPDATE agencies SET headcount = $2, headcount_is_sample = false WHERE id = $1`, a.ID, headcount); err != nil {
			return fmt.Errorf("update headcount of agency %d: %w", a.ID, err)
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO headcount_changes (agency_id, old_headcount, new_headcount, old_was_sample, changed_by, source, note)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, changed_at, coalesce((SELECT full_name FROM users WHERE id = $5), '')`,
			c.AgencyID, c.OldHeadcount, c.NewHeadcount, c.OldWasSample, by, c.Source, note).Scan(&c.ID, &c.ChangedAt, &c.ChangedBy); err != nil {
			return fmt.Errorf("record headcount change: %w", err)
		}
		a.Headcount, a.HeadcountIsSample = headcount, false
		change = &c
		return nil
	})
	return a, change, err
}

// ImportHeadcounts applies a whole import or nothing: every code must name an agency (the
// first that does not is an *UnknownAgencyCodeError and nothing changes). Each agency whose
// figure changes, or whose sample figure is confirmed, gets its history row in the same
// transaction.
func (s *Store) ImportHeadcounts(ctx context.Context, rows []HeadcountRow, by int64, note string) (HeadcountImportSummary, error) {
	sum := HeadcountImportSummary{Rows: len(rows)}
	codes := make([]string, len(rows))
	for i, r := range rows {
		codes[i] = r.Code
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// Lock in id order, so that two imports touching the same agencies queue up
		// instead of deadlocking.
		dbRows, err := tx.Query(ctx, `
			SELECT id, code, headcount, headcount_is_sample FROM agencies WHERE code = ANY($1) ORDER BY id FOR UPDATE`, codes)
		if err != nil {
			return fmt.Errorf("lock agencies: %w", err)
		}
		type current struct {
			id        int64
			headcount int
			sample    bool
		}
		byCode := map[string]current{}
		var (
			cur  current
			code string
		)
		if _, err := pgx.ForEachRow(dbRows, []any{&cur.id, &code, &cur.headcount, &cur.sample}, func() error {
			byCode[code] = cur
			return nil
		}); err != nil {
			return fmt.Errorf("scan agencies: %w", err)
		}
		var ids []int64
		var olds, news []int
		var samples []bool
		for _, r := range rows {
			c, ok := byCode[r.Code]
			if !ok {
				return &UnknownAgencyCodeError{Line: r.Line, Code: r.Code}
			}
			if c.headcount == r.Headcount && !c.sample {
				sum.Unchanged++
				continue
			}
			ids, olds, news, samples = append(ids, c.id), append(olds, c.headcount), append(news, r.Headcount), append(samples, c.sample)
		}
		sum.Changed = len(ids)
		if len(ids) == 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, `
			UPDATE agencies a SET headcount = v.headcount, headcount_is_sample = false
			FROM unnest($1::bigint[], $2::int[]) AS v(id, headcount) WHERE a.id = v.id`, ids, news); err != nil {
			return fmt.Errorf("update headcounts: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO headcount_changes (agency_id, old_headcount, new_headcount, old_was_sample, changed_by, source, note)
			SELECT v.id, v.old, v.new, v.sample, $5, 'import', $6
			FROM unnest($1::bigint[], $2::int[], $3::int[], $4::bool[]) AS v(id, old, new, sample)`,
			ids, olds, news, samples, by, note); err != nil {
			return fmt.Errorf("record headcount changes: %w", err)
		}
		return nil
	})
	if err != nil {
		return HeadcountImportSummary{Rows: len(rows)}, err
	}
	return sum, nil
}

// HeadcountHistory returns an agency and its headcount changes, newest first.
func (s *Store) HeadcountHistory(ctx context.Context, agencyID int64) (Agency, []HeadcountChange, error) {
	a, err := s.AgencyByID(ctx, agencyID)
	if err != nil {
		return a, nil, err
	}
	rows, err := s.pool.Query(ctx, `
		SELECT h.id, h.agency_id, h.old_headcount, h.new_headcount, h.old_was_sample, h.changed_by,
		       coalesce(u.full_name, ''), h.changed_at, h.source, h.note
		FROM headcount_changes h LEFT JOIN users u ON u.id = h.changed_by
		WHERE h.agency_id = $1 ORDER BY h.changed_at DESC, h.id DESC`, agencyID)
	if err != nil {
		return a, nil, fmt.Errorf("load headcount history: %w", err)
	}
	changes, err := pgx.CollectRows(rows, pgx.RowToStructByPos[HeadcountChange])
	if err != nil {
		return a, nil, fmt.Errorf("scan headcount history: %w", err)
	}
	return a, changes, nil
}

// ---- Report data --------------------------------------------------------------------

// ReportRankingRow is one participant's place in a round, with names, for the reports.
type ReportRankingRow struct {
	RoundNumber  int
	Rank         int
	Prize        string
	FullName     string
	AgencyName   string
	CorrectCount int
	Prediction   *int
	TimeUsedMS   int64
	FinishedAt   time.Time
}

// RankingForReport returns a round's whole ranking (or only its prize winners) in rank
// order, with each participant's name and agency.
func (s *Store) RankingForReport(ctx context.Context, roundID int64, winnersOnly bool) ([]ReportRankingRow, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT r.number, rr.rank, coalesce(rr.prize, ''), u.full_name, coalesce(a.name, ''), rr.correct_count,
		       rr.prediction, rr.time_used_ms, rr.finished_at
		FROM round_rankings rr JOIN rounds r ON r.id = rr.round_id
		JOIN users u ON u.id = rr.participant_id LEFT JOIN agencies a ON a.id = u.agency_id
		WHERE rr.round_id = $1 AND (NOT $2 OR rr.prize IS NOT NULL)
		ORDER BY rr.rank, rr.participant_id`, roundID, winnersOnly)
	if err != nil {
		return nil, fmt.Errorf("load ranking of round %d: %w", roundID, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[ReportRankingRow])
	if err != nil {
		return nil, fmt.Errorf("scan ranking of round %d: %w", roundID, err)
	}
	return out, nil
}

// RoundSummary is one round's figures for the final report.
type RoundSummary struct {
	ID           int64
	Number       int
	OpensAt      time.Time
	ClosesAt     time.Time
	State        string
	Participants int // distinct participants with a result
	Results      int // finished attempts
	PerfectCount int // participants with at least one attempt all correct
	ZeroCount    int // participants whose best attempt had no correct answer
	Ranked       bool
	Winners      int
}

// RoundSummaries returns every round of a campaign with its counts, in order.
func (s *Store) RoundSummaries(ctx context.Context, campaignID int64) ([]RoundSummary, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT r.id, r.number, r.opens_at, r.closes_at, r.state,
		       coalesce(x.participants, 0), coalesce(x.results, 0), coalesce(x.perfect, 0), coalesce(x.zero, 0),
		       r.ranked_at IS NOT NULL,
		       (SELECT count(*)::int FROM round_rankings rr WHERE rr.round_id = r.id AND rr.prize IS NOT NULL)
		FROM rounds r
		LEFT JOIN LATERAL (
			SELECT count(*)::int AS participants, sum(n)::int AS results,
			       count(*) FILTER (WHERE perfect)::int AS perfect, count(*) FILTER (WHERE best = 0)::int AS zero
			FROM (SELECT participant_id, count(*) AS n, bool_or(correct_count = question_count) AS perfect,
			             max(correct_count) AS best
			      FROM results WHERE round_id = r.id GROUP BY participant_id) p
		) x ON true
		WHERE r.campaign_id = $1 ORDER BY r.number`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("load round summaries: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[RoundSummary])
	if err != nil {
		return nil, fmt.Errorf("scan round summaries: %w", err)
	}
	return out, nil
}

// CampaignTotals are whole-campaign counts for the final report.
type CampaignTotals struct {
	Participants int // distinct participants who sat at least once
	Results      int // finished attempts
	Registered   int // participant accounts
}

// CampaignTotals counts a campaign's participants and finished attempts.
func (s *Store) CampaignTotals(ctx context.Context, campaignID int64) (CampaignTotals, error) {
	var t CampaignTotals
	err := s.pool.QueryRow(ctx, `
		SELECT count(DISTINCT res.participant_id)::int, count(*)::int,
		       (SELECT count(*)::int FROM users WHERE role = 'participant')
		FROM results res JOIN rounds r ON r.id = res.round_id WHERE r.campaign_id = $1`, campaignID).
		Scan(&t.Participants, &t.Results, &t.Registered)
	if err != nil {
		return t, fmt.Errorf("count campaign totals: %w", err)
	}
	return t, nil
}

// ---- Exports ------------------------------------------------------------------------

// Export statuses.
const (
	ExportQueued  = "queued"
	ExportRunning = "running"
	ExportDone    = "done"
	ExportFailed  = "failed"
)

// ExportJob is a report built in the background.
type ExportJob struct {
	ID           int64      `json:"id"`
	CampaignID   int64      `json:"campaign_id"`
	CampaignCode string     `json:"campaign_code"`
	Kind         string     `json:"kind"`
	Format       string     `json:"format"`
	RequestedBy  *int64     `json:"requested_by"`
	Status       string     `json:"status"`
	Progress     int        `json:"progress"`
	FileName     string     `json:"file_name,omitempty"`
	Size         int        `json:"size"`
	Error        string     `json:"error,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	StartedAt    *time.Time `json:"started_at"`
	FinishedAt   *time.Time `json:"finished_at"`
	// Stale is true for an export still queued a minute after it was queued or last
	// touched: its task may have been lost with Redis and can be enqueued again.
	Stale bool `json:"-"`
}

const exportColumns = `e.id, e.campaign_id, c.code, e.kind, e.format, e.requested_by, e.status, e.progress, e.file_name,
	coalesce(octet_length(e.file), 0), e.error, e.created_at, e.started_at, e.finished_at,
	e.status = 'queued' AND e.updated_at < now() - interval '1 minute'`

func scanExport(row pgx.Row) (ExportJob, error) {
	var e ExportJob
	err := row.Scan(&e.ID, &e.CampaignID, &e.CampaignCode, &e.Kind, &e.Format, &e.RequestedBy, &e.Status, &e.Progress,
		&e.FileName, &e.Size, &e.Error, &e.CreatedAt, &e.StartedAt, &e.FinishedAt, &e.Stale)
	if errors.Is(err, pgx.ErrNoRows) {
		return e, contest.ErrNotFound
	}
	return e, err
}

// CreateExport records a queued export and returns its id.
func (s *Store) CreateExport(ctx context.Context, campaignID int64, kind, format string, by int64) (int64, error) {
	var id int64
	if err := s.pool.QueryRow(ctx, `
		INSERT INTO exports (campaign_id, kind, format, requested_by) VALUES ($1, $2, $3, $4) RETURNING id`,
		campaignID, kind, format, by).Scan(&id); err != nil {
		return 0, fmt.Errorf("create export: %w", err)
	}
	return id, nil
}

// ExportByID loads an export's status (not its file).
func (s *Store) ExportByID(ctx context.Context, id int64) (ExportJob, error) {
	e, err := scanExport(s.pool.QueryRow(ctx, `SELECT `+exportColumns+` FROM exports e JOIN campaigns c ON c.id = e.campaign_id WHERE e.id = $1`, id))
	if err != nil && !errors.Is(err, contest.ErrNotFound) {
		return e, fmt.Errorf("load export %d: %w", id, err)
	}
	return e, err
}

// TouchExport marks a queued export as enqueued again now.
func (s *Store) TouchExport(ctx context.Context, id int64) error {
	if _, err := s.pool.Exec(ctx, `UPDATE exports SET updated_at = now() WHERE id = $1 AND status = 'queued'`, id); err != nil {
		return fmt.Errorf("touch export %d: %w", id, err)
	}
	return nil
}

// ExportFile returns a finished export's file name and content.
func (s *Store) ExportFile(ctx context.Context, id int64) (ExportJob, []byte, error) {
	e, err := s.ExportByID(ctx, id)
	if err != nil {
		return e, nil, err
	}
	if e.Status != ExportDone {
		return e, nil, contest.ErrExportNotReady
	}
	var file []byte
	if err := s.pool.QueryRow(ctx, `SELECT file FROM exports WHERE id = $1`, id).Scan(&file); err != nil {
		return e, nil, fmt.Errorf("load export file %d: %w", id, err)
	}
	return e, file, nil
}

// ClaimExport marks an export running and returns it; claimed is false when it has
// already finished or failed (a duplicate delivery then does nothing). A running export
// can be claimed again: that is a retry after its worker died.
func (s *Store) ClaimExport(ctx context.Context, id int64) (e ExportJob, claimed bool, err error) {
	tag, err := s.pool.Exec(ctx, `
		UPDATE exports SET status = 'running', progress = 0, error = '', updated_at = now(),
		       started_at = coalesce(started_at, now())
		WHERE id = $1 AND status IN ('queued', 'running')`, id)
	if err != nil {
		return e, false, fmt.Errorf("claim export %d: %w", id, err)
	}
	e, err = s.ExportByID(ctx, id)
	return e, tag.RowsAffected() == 1, err
}

// SetExportProgress records how far a running export is (0..100).
func (s *Store) SetExportProgress(ctx context.Context, id int64, progress int) error {
	progress = min(max(progress, 0), 99)
	if _, err := s.pool.Exec(ctx, `
		UPDATE exports SET progress = greatest(progress, $2), updated_at = now() WHERE id = $1 AND status = 'running'`,
		id, progress); err != nil {
		return fmt.Errorf("set export %d progress: %w", id, err)
	}
	return nil
}

// FinishExport stores the file of a running export and marks it done.
func (s *Store) FinishExport(ctx context.Context, id int64, fileName string, file []byte) error {
	tag, err := s.pool.Exec(ctx, `
		UPDATE exports SET status = 'done', progress = 100, file_name = $2, file = $3, error = '',
		       finished_at = now(), updated_at = now()
		WHERE id = $1 AND status = 'running'`, id, fileName, file)
	if err != nil {
		return fmt.Errorf("finish export %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("finish export %d: %w", id, contest.ErrNotFound)
	}
	return nil
}

// FailExport records why an export failed. final marks it failed for good; otherwise it
// goes back to queued for its next try, with the error visible meanwhile.
func (s *Store) FailExport(ctx context.Context, id int64, message string, final bool) error {
	status := ExportQueued
	if final {
		status = ExportFailed
	}
	if _, err := s.pool.Exec(ctx, `
		UPDATE exports SET status = $2, error = $3, updated_at = now(),
		       finished_at = CASE WHEN $2 = 'failed' THEN now() END
		WHERE id = $1 AND status IN ('queued', 'running')`, id, status, message); err != nil {
		return fmt.Errorf("fail export %d: %w", id, err)
	}
	return nil
}
