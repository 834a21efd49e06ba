//go:build integration

package integration

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest/api"
	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/testenv"
)

const public = "public"

// access lists, for every route of the JSON API, who may call it. A route missing here
// fails the test: adding an endpoint means deciding who may use it.
var access = map[string][]string{
	"POST /api/v1/participants":                                     {public},
	"POST /api/v1/sessions":                                         {public},
	"GET /api/v1/agencies":                                          {public},
	"GET /api/v1/rounds/current":                                    {public},
	"GET /api/v1/rounds/:id/results":                                {public},
	"GET /api/v1/rounds/:id/top":                                    {public},
	"GET /api/v1/challenge":                                         {public},
	"GET /api/v1/registration/requirements":                         {public},
	"GET /api/v1/practice":                                          {public},
	"POST /api/v1/rounds/:id/accommodations":                        {"committee", "admin"},
	"GET /api/v1/rounds/:id/accommodations":                         {"committee", "admin"},
	"GET /api/v1/campaigns/:code/rounds/:number/item-analysis":      {"secretariat", "committee", "admin"},
	"GET /api/v1/campaigns/:code/rounds/:number/item-analysis.xlsx": {"secretariat", "committee", "admin"},
	"GET /api/v1/campaigns/:code/participation/people":              {"agency", "committee", "admin"},
	"GET /api/v1/campaigns/:code/participation/people.xlsx":         {"agency", "committee", "admin"},
	"GET /api/v1/feed/results.json":                                 {public},
	"DELETE /api/v1/sessions/current":                               {"participant", "agency", "secretariat", "jury", "committee", "admin"},
	"GET /api/v1/me":                                                {"participant", "agency", "secretariat", "jury", "committee", "admin"},
	"GET /api/v1/me/attempts":                                       {"participant"},
	"PUT /api/v1/me/password":                                       {"participant", "agency", "secretariat", "jury", "committee", "admin"},
	"DELETE /api/v1/me/sessions":                                    {"participant", "agency", "secretariat", "jury", "committee", "admin"},
	"POST /api/v1/participants/:id/password-reset":                  {"agency", "secretariat"},
	"GET /api/v1/participants":                                      {"secretariat"},
	"GET /api/v1/registrations/suspected-duplicates":                {"committee", "admin"},
	"GET /api/v1/audit":                                             {"committee", "admin"},
	"PUT /api/v1/participants/:id/tester":                           {"committee", "admin"},
	"POST /api/v1/rounds/:id/attempts":                              {"participant"},
	"GET /api/v1/attempts/:id":                                      {"participant"},
	"PUT /api/v1/attempts/:id/answers/:no":                          {"participant"},
	"PUT /api/v1/attempts/:id/prediction":                           {"participant"},
	"POST /api/v1/attempts/:id/submit":                              {"participant"},
	"GET /api/v1/campaigns/:code":                                   {"secretariat", "jury", "committee", "admin"},
	"POST /api/v1/campaigns/:code/decisions":                        {"secretariat", "committee"},
	"GET /api/v1/campaigns/:code/rounds/:number/ranking":            {"committee", "admin"},
	"POST /api/v1/campaigns/:code/rehearsals":                       {"committee", "admin"},
	"POST /api/v1/campaigns/:code/videos":                           {"secretariat", "committee"},
	"GET /api/v1/campaigns/:code/videos":                            {"secretariat", "jury", "committee", "admin"},
	"PATCH /api/v1/campaigns/:code/videos/:id":                      {"secretariat", "committee"},
	"GET /api/v1/campaigns/:code/jury/progress":                     {"secretariat", "jury", "committee", "admin"},
	"GET /api/v1/campaigns/:code/videos/:id/file":                   {"secretariat", "jury", "committee", "admin"},
	"GET /api/v1/campaigns/:code/jury/criteria":                     {"secretariat", "jury", "committee", "admin"},
	"POST /api/v1/campaigns/:code/videos/:id/scores":                {"jury"},
	"GET /api/v1/campaigns/:code/jury/scores":                       {"jury", "committee", "admin"},
	"GET /api/v1/campaigns/:code/video-results":                     {"jury", "committee", "admin"},
	"GET /api/v1/campaigns/:code/collective-results":                {"committee", "admin"},
	"POST /api/v1/campaigns/:code/questions/import":                 {"secretariat", "committee"},
	"GET /api/v1/campaigns/:code/rounds/:number/questions":          {"secretariat", "committee", "admin"},
	"GET /api/v1/campaigns/:code/question-revisions":                {"secretariat", "committee", "admin"},
	"GET /api/v1/campaigns/:code/participation":                     {"agency", "committee", "admin"},
	"GET /api/v1/campaigns/:code/reports/:file":                     {"agency", "committee", "admin"},
	"POST /api/v1/campaigns/:code/exports":                          {"committee", "admin"},
	"GET /api/v1/exports/:id":                                       {"committee", "admin"},
	"GET /api/v1/exports/:id/file":                                  {"committee", "admin"},
	"PUT /api/v1/agencies/:id/headcount":                            {"committee", "admin"},
	"POST /api/v1/agencies/headcounts":                              {"committee", "admin"},
	"GET /api/v1/agencies/:id/headcount-history":                    {"committee", "admin"},
	"POST /api/v1/agencies/rosters":                                 {"agency", "secretariat"},
	"GET /api/v1/registrations/unconfirmed":                         {"agency", "secretariat", "committee", "admin"},
	"PUT /api/v1/participants/:id/roster-decision":                  {"agency", "secretariat"},
}

var roles = []string{"participant", "agency", "secretariat", "jury", "committee", "admin"}

// TestEveryEndpointWithEveryRole calls each route of the API with no login and with each
// role, and checks the answer is 401, 403, or past the access check, as the table says.
func TestEveryEndpointWithEveryRole(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	ctx := context.Background()
	clients := map[string]*testenv.Client{"": s.NewClient(t)}
	var agencyID int64
	if err := s.Store.Pool().QueryRow(ctx, `SELECT id FROM agencies ORDER BY id LIMIT 1`).Scan(&agencyID); err != nil {
		t.Fatal(err)
	}
	// relogin gives every client a fresh session after a route that logs out.
	var logins []func()
	relogin := func() {
		for _, login := range logins {
			login()
		}
	}
	for i, role := range roles {
		if role == "participant" {
			c, phone := s.NewClient(t), registeredPhone(t, s)
			logins = append(logins, func() { c.Login(phone, ownerPassword) })
			clients[role] = c
			continue
		}
		hash, err := auth.HashPassword("mat-khau-" + role)
		if err != nil {
			t.Fatal(err)
		}
		phone := fmt.Sprintf("0918%06d", i)
		id, err := s.Store.CreateStaff(ctx, "Tài khoản "+role, phone, hash, role)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Store.Pool().Exec(ctx, `UPDATE users SET agency_id = $2 WHERE id = $1`, id, agencyID); err != nil {
			t.Fatal(err)
		}
		c := s.NewClient(t)
		logins = append(logins, func() { c.Login(phone, "mat-khau-"+role) })
		clients[role] = c
	}
	relogin()
	params := strings.NewReplacer(":code", s.Campaign.Code, ":id", "999999", ":no", "1", ":number", "1", ":file", "participation.json")
	seen := map[string]bool{}
	routes := api.NewRouter(api.Deps{}).Routes()
	// Logging out revokes the clients' tokens: those routes go last, and the clients log in
	// again after each.
	logsOut := func(r gin.RouteInfo) bool {
		return r.Path == "/api/v1/sessions/current" || r.Path == "/api/v1/me/sessions"
	}
	slices.SortStableFunc(routes, func(a, b gin.RouteInfo) int { return cmpBool(logsOut(a), logsOut(b)) })
	for _, r := range routes {
		if !strings.HasPrefix(r.Path, "/api/") {
			continue
		}
		key := r.Method + " " + r.Path
		seen[key] = true
		allowed, ok := access[key]
		if !ok {
			t.Errorf("%s is not in the access table", key)
			continue
		}
		path := params.Replace(r.Path)
		for who, c := range clients {
			// An empty JSON object: handlers must check access before they judge the body.
			resp := c.Raw(r.Method, path, "{}")
			want := "allowed"
			switch {
			case contains(allowed, public):
			case who == "":
				want = "401"
			case !contains(allowed, who):
				want = "403"
			}
			got := "allowed"
			if resp.Status == http.StatusUnauthorized {
				got = "401"
			} else if resp.Status == http.StatusForbidden && isAccessRefusal(resp.ErrorCode()) {
				got = "403"
			}
			if got != want {
				t.Errorf("%s as %q: %d %s, want %s", key, who, resp.Status, truncate(resp.Body), want)
			}
		}
		if logsOut(r) {
			relogin()
		}
	}
	for key := range access {
		if !seen[key] {
			t.Errorf("access table lists %s, which the router does not serve", key)
		}
	}
}

// isAccessRefusal tells a role refusal from a 403 that is about the data (a focal point
// asking for another agency is still "allowed" past the role check).
func isAccessRefusal(code string) bool {
	return code == "forbidden" || code == "not_a_participant"
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

var spaces = regexp.MustCompile(`\s+`)

func truncate(b []byte) string {
	s := spaces.ReplaceAllString(string(b), " ")
	if len(s) > 160 {
		return s[:160] + "…"
	}
	return s
}
