package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Agency is one node of the agency tree.
type Agency struct {
	ID                int64  `json:"id"`
	Code              string `json:"code"`
	Name              string `json:"name"`
	Category          string `json:"category"`
	ParentID          *int64 `json:"parent_id"`
	Headcount         int    `json:"headcount"`
	HeadcountIsSample bool   `json:"headcount_is_sample"`
}

// ListAgencies returns the whole tree, parents before children, by name.
func (s *Store) ListAgencies(ctx context.Context) ([]Agency, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, code, name, category, parent_id, headcount, headcount_is_sample
		FROM agencies ORDER BY parent_id NULLS FIRST, category, name`)
	if err != nil {
		return nil, fmt.Errorf("list agencies: %w", err)
	}
	agencies, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Agency, error) {
		var a Agency
		err := r.Scan(&a.ID, &a.Code, &a.Name, &a.Category, &a.ParentID, &a.Headcount, &a.HeadcountIsSample)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("scan agencies: %w", err)
	}
	return agencies, nil
}
