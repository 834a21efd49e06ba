package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/notify"
	"github.com/hpcontest/contest/internal/store"
)

// Handlers are the asynq handlers: publication, notifications and reminders. Each is
// safe to run twice: the database decides what has already happened.
type Handlers struct {
	Store  *store.Store
	Tasks  *Queue
	Sender notify.Sender
}

func winnerMessage(w store.Winner, p store.Publication) (string, string) {
	subject := fmt.Sprintf("Chúc mừng bạn đạt %s tuần %d", contest.Label(contest.PrizeLabels, w.Prize), p.RoundNumber)
	body := fmt.Sprintf("Kính gửi %s,\n\nBan Tổ chức Hội thi trân trọng thông báo bạn đạt %s tuần thi thứ %d "+
		"với %d câu trả lời đúng, thời gian làm bài %s.\n\nBan Tổ chức sẽ liên hệ về việc nhận giải.",
		w.FullName, contest.Label(contest.PrizeLabels, w.Prize), p.RoundNumber, w.CorrectCount, (time.Duration(w.TimeUsedMS) * time.Millisecond).String())
	return subject, body
}

// PublishRound freezes the approved results, queues the winners' notifications in the
// same transaction, and enqueues one send task per notification.
func (h *Handlers) PublishRound(ctx context.Context, t *asynq.Task) error {
	var p PublishRoundPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil {
		return fmt.Errorf("%w: %v", asynq.SkipRetry, err)
	}
	_, ids, _, err := h.Store.PublishRound(ctx, p.RoundID, winnerMessage)
	if errors.Is(err, contest.ErrNotApproved) {
		return fmt.Errorf("%w: %v", asynq.SkipRetry, err)
	}
	if err != nil {
		return err
	}
	return h.Tasks.EnqueueSends(ctx, ids)
}

// SendNotification delivers one outbox message unless it went out before.
func (h *Handlers) SendNotification(ctx context.Context, t *asynq.Task) error {
	var p NotificationPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil {
		return fmt.Errorf("%w: %v", asynq.SkipRetry, err)
	}
	_, err := h.Store.ClaimNotification(ctx, p.NotificationID, func(n store.Notification) error {
		return h.Sender.Send(ctx, notify.Message{ID: n.ID, Recipient: n.Recipient, Subject: n.Subject, Body: n.Body})
	})
	if errors.Is(err, contest.ErrNotFound) {
		return fmt.Errorf("%w: %v", asynq.SkipRetry, err)
	}
	return err
}

// RemindCommittee queues a reminder to every committee member.
func (h *Handlers) RemindCommittee(ctx context.Context, t *asynq.Task) error {
	var p ReminderPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil {
		return fmt.Errorf("%w: %v", asynq.SkipRetry, err)
	}
	members, err := h.Store.StaffWithRole(ctx, contest.RoleCommittee)
	if err != nil {
		return err
	}
	what := contest.ReminderLabels[p.Stage]
	if p.Round > 0 {
		what = fmt.Sprintf("%s (tuần %d)", what, p.Round)
	}
	msgs := make([]store.NewNotification, len(members))
	for i, m := range members {
		msgs[i] = store.NewNotification{
			Kind: "committee_reminder", UserID: m.UserID, Recipient: m.Address,
			DedupeKey: fmt.Sprintf("remind:%d:%s:%d:%d:%d", p.CampaignID, p.Stage, p.Round, p.Count, m.UserID),
			Subject:   "Nhắc việc: Hội thi đang chờ " + what,
			Body:      fmt.Sprintf("Kính gửi %s,\n\nHội thi đang chờ Ban Tổ chức %s. Đây là lần nhắc thứ %d.", m.Name, what, p.Count),
		}
	}
	ids, err := h.Store.QueueNotifications(ctx, msgs)
	if err != nil {
		return err
	}
	return h.Tasks.EnqueueSends(ctx, ids)
}
