package activities

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/hpcontest/contest/internal/store"
	"github.com/hpcontest/contest/workflows"
)

// The error an activity returns reaches the workflow through the SDK's failure
// conversion; these run it through the test activity environment, which converts it the
// same way, so the exam workflow's check of the error type is checked against what it
// really receives. The activities that reach PostgreSQL are tested in
// activities_integration_test.go.
func TestRetryableErrorAsTheWorkflowSeesIt(t *testing.T) {
	early := &store.DeadlineNotReachedError{AttemptID: 7, Remaining: 2 * time.Second}
	tests := []struct {
		name      string
		err       error
		wantType  string // "" when the error is not turned into a retry at the deadline
		wantDelay time.Duration
	}{
		{"early automatic close: retried just after the deadline", early, workflows.DeadlineNotReachedErrorType, 2*time.Second + 100*time.Millisecond},
		{"early close wrapped by a caller", fmt.Errorf("finalize: %w", early), workflows.DeadlineNotReachedErrorType, 2*time.Second + 100*time.Millisecond},
		{"database away: an ordinary error, retried on the usual backoff", errors.New("ping PostgreSQL: connection refused"), "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var suite testsuite.WorkflowTestSuite
			env := suite.NewTestActivityEnvironment()
			env.RegisterActivityWithOptions(func(context.Context) error { return retryableError(tt.err) },
				activity.RegisterOptions{Name: "Finalize"})
			_, err := env.ExecuteActivity("Finalize")
			var appErr *temporal.ApplicationError
			if !errors.As(err, &appErr) {
				t.Fatalf("activity error %v (%T), want an application error", err, err)
			}
			if appErr.NonRetryable() {
				t.Errorf("error %v is non-retryable: the attempt would never close", err)
			}
			if tt.wantType == "" {
				if appErr.Type() == workflows.DeadlineNotReachedErrorType || appErr.NextRetryDelay() != 0 {
					t.Errorf("ordinary error became %s with delay %s", appErr.Type(), appErr.NextRetryDelay())
				}
				return
			}
			if appErr.Type() != tt.wantType {
				t.Errorf("error type %q, want %q", appErr.Type(), tt.wantType)
			}
			if appErr.NextRetryDelay() != tt.wantDelay {
				t.Errorf("next retry in %s, want %s", appErr.NextRetryDelay(), tt.wantDelay)
			}
		})
	}
	t.Run("no error stays none", func(t *testing.T) {
		if err := retryableError(nil); err != nil {
			t.Errorf("retryableError(nil) = %v", err)
		}
	})
	t.Run("an ordinary error is returned as it is", func(t *testing.T) {
		plain := errors.New("boom")
		if err := retryableError(plain); err != plain {
			t.Errorf("retryableError changed %v into %v", plain, err)
		}
	})
}

// examResult copies a closed attempt's row into the workflow's payload; a field added to
// one and not the other would reach the workflow as a zero value.
func TestExamResultCopiesEveryField(t *testing.T) {
	row := store.Result{AttemptID: 7, Status: "submitted", CorrectCount: 8, QuestionCount: 10, TimeUsedMS: 61_000,
		FinishedAt: time.Date(2023, 10, 23, 9, 10, 0, 0, time.UTC)}
	rv := reflect.ValueOf(row)
	for i := range rv.NumField() {
		if rv.Field(i).IsZero() {
			t.Fatalf("fill store.Result.%s in this test", rv.Type().Field(i).Name)
		}
	}
	got := reflect.ValueOf(examResult(row))
	if got.NumField() != rv.NumField() {
		t.Errorf("workflows.ExamResult has %d fields, store.Result %d", got.NumField(), rv.NumField())
	}
	for i := range got.NumField() {
		name := got.Type().Field(i).Name
		want := rv.FieldByName(name)
		if !want.IsValid() {
			t.Errorf("workflows.ExamResult.%s has no counterpart in store.Result", name)
			continue
		}
		if !reflect.DeepEqual(got.Field(i).Interface(), want.Interface()) {
			t.Errorf("%s = %v, want %v", name, got.Field(i).Interface(), want.Interface())
		}
	}
}
