// Package api is the HTTP edge: routing, authentication, request and response types and
// validation. Rules live in internal/rules, SQL in internal/store.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/metrics"
	"github.com/hpcontest/contest/internal/store"
	"github.com/hpcontest/contest/web"
)

// Deps is what the API needs from the rest of the system.
type Deps struct {
	Store     *store.Store
	Exams     ExamRunner
	Campaigns CampaignRunner
	// VideoDir stores uploaded clips; VideoMaxBytes bounds one upload.
	VideoDir      string
	VideoMaxBytes int64
	SessionTTL    time.Duration
	// Limiter enforces Limits (DefaultLimits when zero); nil disables them.
	Limiter Limiter
	Limits  Limits
	// LoginThrottle slows down repeated failed logins (Limits.LoginFailures); nil disables it.
	LoginThrottle LoginThrottle
	// Ready says whether this process should get traffic at all (false while draining);
	// /readyz answers 503 when it fails, as when PostgreSQL is unreachable.
	Ready func(ctx context.Context) error
	// Dependencies are checked and reported by /readyz without failing it: the quiz goes
	// on while Redis (rate limits fail open, tasks wait) or Temporal (exam starts queue)
	// is away, and failing readiness on a dependency every replica shares would take
	// all of them out of the load balancer at once.
	Dependencies map[string]func(ctx context.Context) error
	// Exports runs report exports in the background; without it POST …/exports answers 503.
	Exports ExportQueue
	// Tracing starts a span per request (internal/tracing); nil when tracing is off.
	Tracing gin.HandlerFunc
	// TrustedProxies are the CIDRs whose X-Forwarded-For and X-Real-IP headers name the
	// client (config TRUSTED_PROXIES). Empty believes no header: c.ClientIP() is then the
	// connection's address, which a client cannot forge.
	TrustedProxies []string
	// Challenge is the proof of work registration asks for; nil turns it off (tests,
	// benchmarks, CHALLENGE=off).
	Challenge *Challenge
	// RetryTickets keep a refused login's or registration's place in the hashing queue;
	// replicas must share their key (a random one when nil).
	RetryTickets *auth.Tickets
}

type server struct {
	Deps
	tickets *auth.Tickets
}

// NewRouter builds the Gin engine with every route.
func NewRouter(d Deps) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	s := &server{Deps: d, tickets: d.RetryTickets}
	if s.tickets == nil {
		s.tickets = auth.NewTickets(nil)
	}
	r := gin.New()
	r.HandleMethodNotAllowed = true
	// Gin believes forwarding headers from everyone unless told otherwise; every per-address
	// limit and audit address reads c.ClientIP(), so this one call decides whom to believe.
	must(r.SetTrustedProxies(d.TrustedProxies))
	// The request id and the span come first so every later log line carries them.
	r.Use(requestID())
	if d.Tracing != nil {
		r.Use(d.Tracing)
	}
	r.Use(requestLog(), recoverJSON())
	r.Use(metrics.Middleware())
	// Compression wraps every answer, the pages' included (they come precompressed).
	r.Use(compress())
	r.NoRoute(func(c *gin.Context) { fail(c, errRouteNotFound) })
	r.NoMethod(func(c *gin.Context) { fail(c, errMethod) })

	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	r.GET("/readyz", s.ready)
	// /metrics is not here: cmd/contest serves it on METRICS_ADDR, apart from the public
	// listener (docs/operations.md).
	web.Mount(r)

	v1 := r.Group("/api/v1")
	v1.GET("/challenge", s.issueChallenge)
	v1.POST("/participants", s.limitPerIP("register", func(l Limits) Limit { return l.RegisterPerIP }), s.requireChallenge, s.register)
	v1.POST("/sessions", s.limitPerIP("login", func(l Limits) Limit { return l.LoginPerIP }), s.login)
	v1.GET("/registration/requirements", s.getRegistrationRequirements)
	v1.GET("/agencies", s.listAgencies)
	v1.GET("/rounds/current", s.currentRound)
	v1.GET("/practice", s.currentPractice)
	v1.GET("/rounds/:id/results", s.roundResults)
	v1.GET("/rounds/:id/top", s.roundTop)
	v1.GET("/feed/results.json", s.resultsFeed)

	authed := v1.Group("", s.authenticate, s.audit)
	authed.GET("/audit", requireRole(contest.RoleCommittee, contest.RoleAdmin), s.auditLog)
	authed.GET("/registrations/suspected-duplicates", requireRole(contest.RoleCommittee, contest.RoleAdmin), s.suspectedDuplicates)
	authed.PUT("/participants/:id/tester", requireRole(contest.RoleCommittee, contest.RoleAdmin), s.setTester)
	authed.DELETE("/sessions/current", s.logout)
	authed.GET("/me", s.me)
	authed.PUT("/me/password", s.changePassword)
	authed.DELETE("/me/sessions", s.logoutEverywhere)
	authed.POST("/participants/:id/password-reset", requireRole(contest.RoleAgency, contest.RoleSecretariat), s.resetPassword)
	authed.GET("/participants", requireRole(contest.RoleSecretariat), s.lookupParticipant)
	authed.GET("/me/attempts", s.myAttempts)
	starts := s.limitPerUser("start", func(l Limits) Limit { return l.StartsPerUser })
	answers := s.limitPerUser("answer", func(l Limits) Limit { return l.AnswersPerUser })
	authed.POST("/rounds/:id/attempts", starts, s.startAttempt)
	authed.GET("/attempts/:id", s.getAttempt)
	authed.PUT("/attempts/:id/answers/:no", answers, s.saveAnswer)
	authed.PUT("/attempts/:id/prediction", answers, s.savePrediction)
	authed.POST("/attempts/:id/submit", s.submit)
	authed.POST("/rounds/:id/accommodations", requireRole(contest.RoleCommittee, contest.RoleAdmin), s.grantAccommodation)
	authed.GET("/rounds/:id/accommodations", requireRole(contest.RoleCommittee, contest.RoleAdmin), s.listAccommodations)

	s.participationAndReportRoutes(authed)
	s.rosterRoutes(authed)
	staff := authed.Group("/campaigns/:code")
	staff.GET("", requireRole(contest.RoleCommittee, contest.RoleSecretariat, contest.RoleJury, contest.RoleAdmin), s.getCampaign)
	staff.POST("/decisions", requireRole(contest.RoleCommittee, contest.RoleSecretariat), s.decide)
	staff.GET("/rounds/:number/ranking", requireRole(contest.RoleCommittee, contest.RoleAdmin), s.roundRanking)
	staff.POST("/rehearsals", requireRole(contest.RoleCommittee, contest.RoleAdmin), s.rehearse)
	s.videoRoutes(staff)
	s.questionRoutes(staff)
	s.itemAnalysisRoutes(staff)
	return r
}

func (s *server) ready(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	checks := gin.H{"postgres": "ok"}
	status := http.StatusOK
	if err := s.Store.Ping(ctx); err != nil {
		checks["postgres"], status = err.Error(), http.StatusServiceUnavailable
	}
	if s.Ready != nil {
		if err := s.Ready(ctx); err != nil {
			checks["process"], status = err.Error(), http.StatusServiceUnavailable
		}
	}
	names := make([]string, 0, len(s.Dependencies))
	for name := range s.Dependencies {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		checks[name] = "ok"
		if err := s.Dependencies[name](ctx); err != nil {
			checks[name], checks["degraded"] = err.Error(), true
		}
	}
	c.JSON(status, checks)
}

func requestLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		if c.Writer.Status() >= 500 || gin.Mode() == gin.DebugMode {
			slog.InfoContext(c.Request.Context(), "http", "method", c.Request.Method, "route", c.FullPath(),
				"status", c.Writer.Status(), "duration_ms", time.Since(start).Milliseconds())
		}
	}
}

func recoverJSON() gin.HandlerFunc {
	return gin.CustomRecoveryWithWriter(nil, func(c *gin.Context, recovered any) {
		slog.ErrorContext(c.Request.Context(), "panic in handler", "route", c.FullPath(), "panic", recovered)
		c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": errInternal})
	})
}
