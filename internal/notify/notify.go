// Package notify delivers outbox messages. The log sender is the default; SMTP is used for
// e-mail addresses when it is configured. An SMS gateway would be one more Sender.
package notify

import (
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/smtp"
	"strings"
)

// Message is one notification to deliver.
type Message struct {
	ID        int64
	Recipient string // e-mail address or phone number
	Subject   string
	Body      string
}

// Sender delivers a message or says why it could not.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// LogSender writes each message to the structured log: enough for a pilot, and what
// tests read.
type LogSender struct{ Log *slog.Logger }

// Send logs the message.
func (s LogSender) Send(ctx context.Context, m Message) error {
	s.Log.InfoContext(ctx, "notification", "notification_id", m.ID, "recipient", m.Recipient, "subject", m.Subject)
	return nil
}

// SMTPSender sends e-mail through an SMTP relay; messages to a phone number go to Fallback.
type SMTPSender struct {
	Addr     string // host:port
	From     string
	Username string
	Password string
	Fallback Sender
}

// Send delivers by e-mail when the recipient is an address.
func (s SMTPSender) Send(ctx context.Context, m Message) error {
	if !strings.Contains(m.Recipient, "@") {
		return s.Fallback.Send(ctx, m)
	}
	var auth smtp.Auth
	if s.Username != "" {
		host, _, _ := strings.Cut(s.Addr, ":")
		auth = smtp.PlainAuth("", s.Username, s.Password, host)
	}
	msg := "From: " + s.From + "\r\nTo: " + m.Recipient + "\r\nSubject: " + mimeHeader(m.Subject) +
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + m.Body
	if err := smtp.SendMail(s.Addr, auth, s.From, []string{m.Recipient}, []byte(msg)); err != nil {
		return fmt.Errorf("send mail to %s: %w", m.Recipient, err)
	}
	return nil
}

// mimeHeader encodes a Vietnamese subject line (RFC 2047).
func mimeHeader(s string) string {
	return "=?UTF-8?B?" + base64.StdEncoding.EncodeToString([]byte(s)) + "?="
}
