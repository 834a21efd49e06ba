package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// QuestionRevision is one recorded change of a question: before, after, who.
type QuestionRevision struct {
	ID          int64           `json:"id"`
	Code        string          `json:"code"`
	Action      string          `json:"action"`
	Before      json.RawMessage `json:"before"`
	After       json.RawMessage `json:"after"`
	SetsRevised []int32         `json:"sets_revised"`
	ChangedBy   string          `json:"changed_by"`
	ChangedAt   time.Time       `json:"changed_at"`
	Source      string          `json:"source"`
}

// QuestionRevisions lists a campaign's question changes, newest first: all of them, those
// of one question code, or those that gave one round's set a new revision (round > 0).
func (s *Store) QuestionRevisions(ctx context.Context, campaignID int64, code string, round, limit int) ([]QuestionRevision, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT qr.id, qr.code, qr.action, coalesce(qr.before, 'null'::jsonb), qr.after, qr.sets_revised,
		       coalesce(u.full_name, 'hệ thống'), qr.changed_at, qr.source
		FROM question_revisions qr LEFT JOIN users u ON u.id = qr.changed_by
		WHERE qr.campaign_id = $1 AND ($2 = '' OR qr.code = $2) AND ($3 = 0 OR $3 = ANY(qr.sets_revised))
		ORDER BY qr.id DESC LIMIT $4`, campaignID, code, round, limit)
	if err != nil {
		return nil, fmt.Errorf("load question revisions: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[QuestionRevision])
	if err != nil {
		return nil, fmt.Errorf("scan question revisions: %w", err)
	}
	if out == nil {
		out = []QuestionRevision{}
	}
	return out, nil
}
