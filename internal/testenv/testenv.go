// Package testenv brings up the real stack for integration tests: a fresh PostgreSQL
// database, a Temporal worker on its own task queue against the real Temporal server, and
// the HTTP API on a loopback port. The services themselves come from deploy/dev-services.sh
// (make test runs it); a test fails, never skips, when they are missing.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/hpcontest/contest/api"
	"github.com/hpcontest/contest/internal/app"
	"github.com/hpcontest/contest/internal/config"
	"github.com/hpcontest/contest/internal/exams"
	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/store"
	"github.com/hpcontest/contest/internal/temporalclient"
)

// Stack is one isolated copy of the platform, wired as the binary wires it (internal/app):
// the embedded app.Stack gives the store, the Temporal client, the installation, the task
// queue, the campaign runner and the activities.
type Stack struct {
	*app.Stack
	URL       string
	Exams     *exams.Dispatcher
	Campaign  store.CampaignSpec
	Notified  *RecordingSender // what the notification sender delivered
	taskQueue string
	workerLog *slog.Logger
	worker    sdkworker.Worker
}

// Options shape the stack.
type Options struct {
	TimeLimit time.Duration // exam time limit; the campaign's 10 min 30 s when zero
	// ScoreAtSubmit sets the campaign's score_shown to at_submit, for tests that check the
	// score a submit answers; by default a score is shown only after the round is ranked.
	ScoreAtSubmit bool
	NoWorker      bool       // start no Temporal worker (to test what happens without one)
	Limits        api.Limits // abuse limits (api.DefaultLimits when zero)
	// LimiterRedis is where the rate limiter counts; RedisAddr() when empty. Point it at a
	// closed port to see the API carry on without Redis.
	LimiterRedis string
	// HoldExamStarts keeps the API's exam dispatcher from calling Temporal, as if the API
	// process died with its starts queued; StartExamDispatcher then plays a new process.
	HoldExamStarts bool
	// WrapExamClient wraps the Temporal client the API's exam dispatcher calls, to count
	// or fail its calls.
	WrapExamClient func(client.Client) client.Client
	// TaskQueue puts the stack on this task queue (as TEMPORAL_TASK_QUEUE would), e.g. one
	// shared with another stack; empty gives a random queue of its own, unless
	// DefaultTaskQueue asks for the installation's default, as a deployment without
	// TEMPORAL_TASK_QUEUE resolves it.
	TaskQueue        string
	DefaultTaskQueue bool
	// TrustedProxies are the CIDRs whose forwarding headers the API believes (as
	// TRUSTED_PROXIES); none when empty.
	TrustedProxies []string
	// ChallengeDifficulty turns registration's proof of work on with this many bits (off
	// when zero, so other tests register without solving anything).
	ChallengeDifficulty int
	// VideoDir is where the API stores clips (a fresh temporary directory when empty).
	VideoDir string
	// MaxConnections caps the API listener's open connections (as MAX_CONNECTIONS); no
	// cap when zero.
	MaxConnections int
	// WorkerLog receives the worker's refusals of other installations' activities
	// (slog.Default() when nil).
	WorkerLog *slog.Logger
}

// AdminDatabaseURL is where test databases are created from.
func AdminDatabaseURL() string {
	if v := os.Getenv("TEST_DATABASE_URL"); v != "" {
		return v
	}
	return "postgres://contest:contest@127.0.0.1:5432/postgres?sslmode=disable"
}

// RedisAddr is the Redis the tests use (asynq).
func RedisAddr() string {
	if v := os.Getenv("REDIS_ADDR"); v != "" {
		return v
	}
	return "127.0.0.1:6379"
}

// TemporalAddress is the Temporal frontend the tests use.
func TemporalAddress() string {
	if v := os.Getenv("TEMPORAL_ADDRESS"); v != "" {
		return v
	}
	return "127.0.0.1:7233"
}

func randomName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// NewDatabase creates an empty database with the schema applied and drops it after the test.
func NewDatabase(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, AdminDatabaseURL())
	if err != nil {
		t.Fatalf("connect to PostgreSQL at %s (run deploy/dev-services.sh up): %v", AdminDatabaseURL(), err)
	}
	name := randomName("contest_it_")
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close(context.Background())
		if _, err := admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(AdminDatabaseURL())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	st, err := store.Open(ctx, u.String(), 20)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return st
}

// New starts a stack seeded with the demo campaign (round 1 open now).
func New(t testing.TB, opts Options) *Stack {
	t.Helper()
	ctx := context.Background()
	st := NewDatabase(t)
	campaign, err := seed.Load(ctx, st, seed.Options{DemoAt: time.Now(), TimeLimit: opts.TimeLimit})
	if err != nil {
		t.Fatal(err)
	}
	if opts.ScoreAtSubmit {
		if _, err := st.Pool().Exec(ctx, `UPDATE campaigns SET settings = settings || '{"score_shown": "at_submit"}'::jsonb WHERE code = $1`,
			campaign.Code); err != nil {
			t.Fatal(err)
		}
	}
	installation, err := st.InstallationID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	queue := opts.TaskQueue
	if queue == "" && !opts.DefaultTaskQueue {
		queue = randomName("it-")
	}
	notified := &RecordingSender{}
	videoDir := opts.VideoDir
	if videoDir == "" {
		videoDir = t.TempDir()
	}
	// Resolved as the commands resolve it, so the client stamps this installation on
	// every workflow it starts.
	cfg := config.Config{
		TemporalAddress: TemporalAddress(), TaskQueue: queue, RedisAddr: RedisAddr(),
		SessionTTL: time.Hour, VideoDir: videoDir, VideoMaxBytes: 5 << 20, TrustedProxies: opts.TrustedProxies,
		Challenge: config.ChallengeConfig{Enabled: opts.ChallengeDifficulty > 0, Secret: randomName("secret-"),
			Difficulty: opts.ChallengeDifficulty, TTL: time.Minute},
	}.ForInstallation(installation)
	stack, err := app.New(cfg, st, app.Options{Temporal: temporalclient.Extras{Logger: quietLogger{}}, Sender: notified})
	if err != nil {
		t.Fatalf("%v (run deploy/dev-services.sh up)", err)
	}
	t.Cleanup(stack.Close)
	taskQueue := cfg.TaskQueue
	t.Cleanup(func() { terminateLeftovers(stack.Temporal, taskQueue) })
	workerLog := opts.WorkerLog
	if workerLog == nil {
		workerLog = slog.Default()
	}
	s := &Stack{Stack: stack, Campaign: campaign, taskQueue: taskQueue, workerLog: workerLog, Notified: notified}
	if !opts.NoWorker {
		s.StartWorker(t, taskQueue)
		s.startTaskServer(t)
	}
	front := stack.NewAPI(app.APIOptions{Dispatch: dispatcherOptions, WrapExamClient: opts.WrapExamClient,
		LimiterRedis: opts.LimiterRedis, Limits: opts.Limits})
	t.Cleanup(func() { _ = front.Close() })
	s.Exams = front.Dispatcher
	if !opts.HoldExamStarts {
		s.runDispatcher(t, s.Exams)
	}
	srv := httptest.NewUnstartedServer(front.Handler)
	if limit := api.NewConnectionLimit(opts.MaxConnections); limit != nil {
		limit.Attach(srv.Config)
		srv.Listener = limit.Listener(srv.Listener)
	}
	srv.Start()
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// terminateLeftovers ends the workflows a test left running on its task queue (campaigns,
// unexpired exams), so the long-lived Temporal server the tests share does not collect
// timers for queues no worker will ever poll again. Best effort: visibility may lag.
func terminateLeftovers(tc client.Client, taskQueue string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := tc.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
		Query: fmt.Sprintf("TaskQueue = '%s' AND ExecutionStatus = 'Running'", taskQueue), PageSize: 1000})
	if err != nil {
		return
	}
	for _, e := range resp.Executions {
		_ = tc.TerminateWorkflow(ctx, e.Execution.WorkflowId, e.Execution.RunId, "test finished")
	}
}

// dispatcherOptions has short recovery delays, so tests of lost workflow starts do not
// wait long.
var dispatcherOptions = exams.Options{RecoverAfter: 2 * time.Second, RecoverEvery: 500 * time.Millisecond}

func (s *Stack) runDispatcher(t testing.TB, d *exams.Dispatcher) {
	t.Cleanup(app.RunDispatcher(context.Background(), d))
}

// StartExamDispatcher runs a second dispatcher, as a replacement API process would: it
// knows nothing of the first one's queue and finds the attempts left without a workflow.
func (s *Stack) StartExamDispatcher(t testing.TB) {
	s.runDispatcher(t, s.NewDispatcher(s.Temporal, dispatcherOptions))
}

// ReleaseExamStarts runs the API's own dispatcher held by HoldExamStarts, with its queue.
func (s *Stack) ReleaseExamStarts(t testing.TB) {
	s.runDispatcher(t, s.Exams)
}

// TaskQueue is the Temporal task queue the stack's workflows are started on and its
// worker polls.
func (s *Stack) TaskQueue() string { return s.taskQueue }

// StartWorker runs a worker for the stack's task queue until the test ends or StopWorker.
func (s *Stack) StartWorker(t testing.TB, taskQueue string) {
	t.Helper()
	w := s.TemporalWorker(taskQueue, s.workerLog)
	if err := w.Start(); err != nil {
		t.Fatalf("start worker: %v", err)
	}
	s.worker = w
	t.Cleanup(s.StopWorker)
}

// RestartWorker starts a new worker on the stack's task queue, as a redeployed or
// restarted worker process would.
func (s *Stack) RestartWorker(t testing.TB) { s.StartWorker(t, s.taskQueue) }

// StopWorker stops the worker (as a crash would, minus the abruptness).
func (s *Stack) StopWorker() {
	if s.worker != nil {
		s.worker.Stop()
		s.worker = nil
	}
}

// quietLogger keeps the SDK's routine lines out of test output.
type quietLogger struct{}

func (quietLogger) Debug(string, ...interface{}) {}
func (quietLogger) Info(string, ...interface{})  {}
func (quietLogger) Warn(msg string, kv ...interface{}) {
	fmt.Fprintln(os.Stderr, append([]interface{}{"temporal warn:", msg}, kv...)...)
}
func (quietLogger) Error(msg string, kv ...interface{}) {
	fmt.Fprintln(os.Stderr, append([]interface{}{"temporal error:", msg}, kv...)...)
}

func seedDemoStaff() []struct{ Name, Phone, Password, Role string } { return seed.DemoStaff }

// CurrentRoundID is the id of the open round of the seeded campaign.
func (s *Stack) CurrentRoundID(t testing.TB) int64 {
	t.Helper()
	r, err := s.Store.CurrentRound(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// RecordHistory writes a workflow's history as JSON into $RECORD_HISTORIES (when set), for
// the replay tests in workflows/testdata.
func (s *Stack) RecordHistory(t testing.TB, workflowID, name string) {
	t.Helper()
	dir := os.Getenv("RECORD_HISTORIES")
	if dir == "" {
		return
	}
	// A whole history covers more of the workflow's shape than a partial one.
	for wait := time.Now().Add(20 * time.Second); time.Now().Before(wait); time.Sleep(100 * time.Millisecond) {
		desc, err := s.Temporal.DescribeWorkflow(context.Background(), workflowID, "")
		if err == nil && desc.RawResponse.WorkflowExecutionInfo.Status != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
			break
		}
	}
	iter := s.Temporal.GetWorkflowHistory(context.Background(), workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var history historypb.History
	for iter.HasNext() {
		e, err := iter.Next()
		if err != nil {
			t.Fatalf("read history of %s: %v", workflowID, err)
		}
		history.Events = append(history.Events, e)
	}
	raw, err := protojson.MarshalOptions{Indent: "  "}.Marshal(&history)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

// CorrectKeys reads, from the database, under which key each question of an attempt shows
// its correct option: what a participant who knows every answer would pick.
func (s *Stack) CorrectKeys(t testing.TB, attemptID int64) map[int]string {
	t.Helper()
	rows, err := s.Store.Pool().Query(context.Background(), `
		SELECT aq.no, array_position(aq.option_order, q.correct_option)
		FROM attempt_questions aq JOIN questions q ON q.id = aq.question_id WHERE aq.attempt_id = $1`, attemptID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	keys := map[int]string{}
	for rows.Next() {
		var no, pos int
		if err := rows.Scan(&no, &pos); err != nil {
			t.Fatal(err)
		}
		keys[no] = string(rune('A' + pos - 1))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return keys
}
