package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// AuditEntry is one staff action.
type AuditEntry struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	UserID    int64     `json:"user_id"`
	UserName  string    `json:"user_name"`
	UserPhone string    `json:"user_phone"`
	Role      string    `json:"role"`
	Method    string    `json:"method"`
	Route     string    `json:"route"`
	Path      string    `json:"path"`
	Status    int       `json:"status"`
	IP        string    `json:"ip"`
	UserAgent string    `json:"user_agent"`
	// Details is what the action itself changed or overrode (a correction's before and
	// after, an override's comment and what was missing); absent for a plain request.
	Details json.RawMessage `json:"details,omitempty"`
}

// execer is a pool or a transaction.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// AppendAudit records a staff action.
func (s *Store) AppendAudit(ctx context.Context, e AuditEntry) error {
	return appendAudit(ctx, s.pool, e)
}

// appendAudit writes an entry through q, so that an action and its record can share a
// transaction.
func appendAudit(ctx context.Context, q execer, e AuditEntry) error {
	var details []byte
	if len(e.Details) > 0 {
		details = e.Details
	}
	_, err := q.Exec(ctx, `
		INSERT INTO audit_log (user_id, role, method, route, path, status, ip, user_agent, details)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
		e.UserID, e.Role, e.Method, e.Route, e.Path, e.Status, e.IP, e.UserAgent, details)
	if err != nil {
		return fmt.Errorf("append audit entry: %w", err)
	}
	return nil
}

// AuditLog returns the newest entries first, before the given id (0 for the newest).
func (s *Store) AuditLog(ctx context.Context, beforeID int64, limit int) ([]AuditEntry, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT l.id, l.at, coalesce(l.user_id, 0), coalesce(u.full_name, ''), coalesce(u.phone, ''), l.role, l.method, l.route, l.path,
		       l.status, l.ip, l.user_agent, l.details
		FROM audit_log l LEFT JOIN users u ON u.id = l.user_id
		WHERE $1 = 0 OR l.id < $1 ORDER BY l.id DESC LIMIT $2`, beforeID, limit)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[AuditEntry])
	if err != nil {
		return nil, fmt.Errorf("scan audit log: %w", err)
	}
	return out, nil
}
