package loadtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/store"
)

// Password is every synthetic account's password. Its hash is made once per run with the
// production parameters and shared: hashing 5,000 passwords would dominate a run and
// measure nothing about exams, while checking the shared hash costs a rush's login what
// checking any other would. The exam profiles insert sessions directly and never log in.
const Password = "tai-thu-2023"

var passwordHash = sync.OnceValues(func() (string, error) { return auth.HashPassword(Password) })

// Participant is a synthetic account with a live session.
type Participant struct {
	UserID int64
	Token  string
}

// PrepareCampaign makes the target database ready: on an empty database it seeds the demo
// campaign (round 1 open now); otherwise it sets the default campaign's time limit, which
// every attempt started afterwards reads. It returns the open round.
func PrepareCampaign(ctx context.Context, st *store.Store, timeLimit time.Duration) (store.RoundView, error) {
	empty, err := st.IsEmpty(ctx)
	if err != nil {
		return store.RoundView{}, err
	}
	if empty {
		if _, err := seed.Load(ctx, st, seed.Options{DemoAt: time.Now(), TimeLimit: timeLimit}); err != nil {
			return store.RoundView{}, fmt.Errorf("seed the demo campaign: %w", err)
		}
	} else {
		tag, err := st.Pool().Exec(ctx, `UPDATE campaigns SET time_limit_seconds = $1 WHERE is_default`,
			int(timeLimit.Round(time.Second)/time.Second))
		if err != nil {
			return store.RoundView{}, fmt.Errorf("set the default campaign's time limit: %w", err)
		}
		if tag.RowsAffected() != 1 {
			return store.RoundView{}, errors.New("the target database has campaigns but no default campaign")
		}
	}
	r, err := st.CurrentRound(ctx)
	if err != nil {
		return r, fmt.Errorf("current round: %w", err)
	}
	if r.Status() != "open" {
		return r, fmt.Errorf("round %d of the default campaign is %s, not open: run against a freshly seeded database (contest dev on an empty one)", r.Number, r.Status())
	}
	return r, nil
}

// CreateParticipants inserts n participant accounts, spread over the agencies, and one
// session each, in two statements. Phones are "lt<run tag>-<n>", so a run's accounts are
// recognisable and never collide with another run's.
func CreateParticipants(ctx context.Context, st *store.Store, n int, ttl time.Duration) ([]Participant, error) {
	pool := st.Pool()
	var agencies []int64
	if err := pool.QueryRow(ctx, `SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM agencies`).Scan(&agencies); err != nil {
		return nil, fmt.Errorf("list agencies: %w", err)
	}
	if len(agencies) == 0 {
		return nil, errors.New("the target database has no agencies (seed it first)")
	}
	hash, err := passwordHash()
	if err != nil {
		return nil, err
	}
	tag := make([]byte, 4)
	_, _ = rand.Read(tag)
	rows, err := pool.Query(ctx, `
		INSERT INTO users (full_name, date_of_birth, phone, agency_id, position, password_hash, role)
		SELECT 'Người thi thử tải ' || g, DATE '1970-01-01' + (g % 12000), $2 || lpad(g::text, 6, '0'),
		       ($4::bigint[])[1 + g % cardinality($4::bigint[])], 'Chuyên viên', $3, 'participant'
		FROM generate_series(1, $1::int) AS g
		RETURNING id`, n, "lt"+hex.EncodeToString(tag)+"-", hash, agencies)
	if err != nil {
		return nil, fmt.Errorf("insert participants: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("insert participants: %w", err)
	}
	ps := make([]Participant, len(ids))
	hashes := make([][]byte, len(ids))
	for i, id := range ids {
		token, hash, err := auth.NewToken()
		if err != nil {
			return nil, err
		}
		ps[i], hashes[i] = Participant{UserID: id, Token: token}, hash
	}
	if _, err := pool.Exec(ctx, `
		INSERT INTO sessions (token_hash, user_id, expires_at)
		SELECT h, u, now() + make_interval(secs => $3) FROM unnest($1::bytea[], $2::bigint[]) AS t(h, u)`,
		hashes, ids, ttl.Seconds()); err != nil {
		return nil, fmt.Errorf("insert sessions: %w", err)
	}
	return ps, nil
}
