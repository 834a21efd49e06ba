package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/store"
)

var auditedRoles = map[string]bool{
	contest.RoleCommittee: true, contest.RoleSecretariat: true, contest.RoleJury: true, contest.RoleAdmin: true,
}

// auditAlwaysKey, set by a handler, has its request audited whatever the role (a focal
// point's password reset).
const auditAlwaysKey = "audit_always"

// audit records, after the handler ran, every change a staff account asks for (whatever
// its outcome: refused attempts are evidence too). Reads are recorded only when the
// handler asks (auditRead): a question set with its keys, a clip.
func (s *server) audit(c *gin.Context) {
	c.Next()
	u, ok := c.Get(userKey)
	read := c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead
	if !ok || (read && !c.GetBool(auditReadKey)) {
		return
	}
	user := u.(store.SessionUser)
	if (!auditedRoles[user.Role] && !c.GetBool(auditAlwaysKey)) || c.GetBool(auditedKey) {
		return
	}
	var details map[string]any
	if d, ok := c.Get(auditDetailsKey); ok {
		details, _ = d.(map[string]any)
	}
	entry := s.auditEntry(c, c.Writer.Status(), details)
	if err := s.Store.AppendAudit(context.WithoutCancel(c.Request.Context()), entry); err != nil {
		slog.ErrorContext(c.Request.Context(), "audit entry lost", "entry", entry, "error", err)
	}
}

// Context keys through which a handler shapes its audit entry.
const (
	auditedKey      = "audit.written" // the handler wrote its entry itself, with its change
	auditDetailsKey = "audit.details" // what the entry should carry beside who, what and when
)

// setAuditDetails attaches evidence (an override's comment, what was missing) to the
// request's audit entry.
func setAuditDetails(c *gin.Context, details map[string]any) { c.Set(auditDetailsKey, details) }

// auditEntry is the request's audit entry with the given status and details.
func (s *server) auditEntry(c *gin.Context, status int, details map[string]any) store.AuditEntry {
	e := store.AuditEntry{Method: c.Request.Method, Route: c.FullPath(), Path: c.Request.URL.RequestURI(),
		Status: status, IP: c.ClientIP(), UserAgent: c.Request.UserAgent()}
	if u, ok := c.Get(userKey); ok {
		user := u.(store.SessionUser)
		e.UserID, e.Role = user.ID, user.Role
	}
	if details != nil {
		if raw, err := json.Marshal(details); err == nil {
			e.Details = raw
		} else {
			slog.ErrorContext(c.Request.Context(), "audit details not encodable", "error", err)
		}
	}
	return e
}

// auditLogin records a staff account's login attempt, successful or not, from where. The
// session middleware never ran for it, so audit above cannot.
func (s *server) auditLogin(c *gin.Context, creds store.Credentials) {
	entry := store.AuditEntry{UserID: creds.UserID, Role: creds.Role, Method: c.Request.Method, Route: c.FullPath(),
		Path: c.Request.URL.RequestURI(), Status: c.Writer.Status(), IP: c.ClientIP(), UserAgent: c.Request.UserAgent()}
	if err := s.Store.AppendAudit(context.WithoutCancel(c.Request.Context()), entry); err != nil {
		slog.ErrorContext(c.Request.Context(), "audit entry lost", "entry", entry, "error", err)
	}
}

func (s *server) auditLog(c *gin.Context) {
	before, _ := strconv.ParseInt(c.Query("before"), 10, 64)
	limit, err := strconv.Atoi(c.DefaultQuery("limit", "100"))
	if err != nil || limit < 1 || limit > 1000 {
		limit = 100
	}
	entries, err := s.Store.AuditLog(c.Request.Context(), before, limit)
	if err != nil {
		fail(c, err)
		return
	}
	if entries == nil {
		entries = []store.AuditEntry{}
	}
	c.JSON(http.StatusOK, entries)
}
