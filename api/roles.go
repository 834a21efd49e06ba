package api

import (
	"slices"

	"github.com/gin-gonic/gin"
)

// requireRole lets only the given roles through (after authenticate).
func requireRole(roles ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !slices.Contains(roles, currentUser(c).Role) {
			fail(c, errForbidden)
			return
		}
		c.Next()
	}
}
