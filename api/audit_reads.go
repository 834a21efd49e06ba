package api

import "github.com/gin-gonic/gin"

// auditReadKey, set by a handler, has a read (GET) audited like a change.
const auditReadKey = "audit.read"

// auditRead records who read something that must not leak unnoticed (a round's questions
// with their keys before the round closes, a contestant's clip), from which address and
// what exactly, in the audit log. The audit middleware writes the entry after the handler,
// with its status: a refused or failed read is evidence too.
func auditRead(c *gin.Context, details map[string]any) {
	c.Set(auditReadKey, true)
	setAuditDetails(c, details)
}
