package testenv

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Client speaks to the API as a browser or a portal would.
type Client struct {
	t     testing.TB
	Base  string
	Token string
	// Header is sent with every request (e.g. X-Forwarded-For, to play a client behind a
	// proxy or one forging the header).
	Header http.Header
	// participant makes every response to this client inspected for the correct option
	// (set by Login for a participant account).
	participant bool
}

// Response is a decoded answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test on a malformed body.
func (r Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// ErrorCode returns the code of a JSON error answer, or "" when it is not one.
func (r Response) ErrorCode() string {
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.Unmarshal(r.Body, &e)
	return e.Error.Code
}

// NewClient returns an anonymous client for the stack.
func (s *Stack) NewClient(t testing.TB) *Client { return &Client{t: t, Base: s.URL} }

// Raw sends body as it is (for malformed input tests).
func (c *Client) Raw(method, path, body string) Response {
	c.t.Helper()
	req, err := http.NewRequest(method, c.Base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range c.Header {
		req.Header[k] = v
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.participant {
		inspectForAnswerLeak(c.t, method, path, b)
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

var (
	attemptPath = regexp.MustCompile(`^/api/v1/attempts/[0-9]+$`)
	answerLeak  = regexp.MustCompile(`"(correct_key|correct_option|correct|is_correct|review)"\s*:`)
)

// inspectForAnswerLeak fails the test when a response to a participant carries the correct
// option before their attempt is closed: only the review of a closed attempt may.
func inspectForAnswerLeak(t testing.TB, method, path string, body []byte) {
	t.Helper()
	if !answerLeak.Match(body) {
		return
	}
	if method == http.MethodGet && attemptPath.MatchString(path) {
		var a struct{ Status string }
		if json.Unmarshal(body, &a) == nil && a.Status != "" && a.Status != "in_progress" {
			return
		}
	}
	t.Errorf("%s %s answered a participant with the correct option before the attempt closed: %s", method, path, body)
}

// Do sends v as JSON (nil for no body).
func (c *Client) Do(method, path string, v any) Response {
	c.t.Helper()
	body := ""
	if v != nil {
		b, err := json.Marshal(v)
		if err != nil {
			c.t.Fatal(err)
		}
		body = string(b)
	}
	return c.Raw(method, path, body)
}

// Expect sends a request and fails the test unless the status matches.
func (c *Client) Expect(status int, method, path string, v any) Response {
	c.t.Helper()
	r := c.Do(method, path, v)
	if r.Status != status {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.Status, status, r.Body)
	}
	return r
}

var phoneSeq atomic.Int64

// UniquePhone returns a valid Vietnamese mobile number not used before in this process.
func UniquePhone() string {
	return fmt.Sprintf("09%08d", (time.Now().UnixNano()/1000+phoneSeq.Add(1))%100_000_000)
}

// Participant registers a new participant in the first agency and logs them in.
func (s *Stack) Participant(t testing.TB) *Client {
	t.Helper()
	c := s.NewClient(t)
	var agencies []struct{ ID int64 }
	c.Expect(http.StatusOK, "GET", "/api/v1/agencies", nil).JSON(t, &agencies)
	phone := UniquePhone()
	c.Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{
		"full_name": "Nguyễn Văn Thử", "date_of_birth": "1988-05-17", "phone": phone,
		"agency_id": agencies[0].ID, "position": "Chuyên viên", "password": "mat-khau-thu",
	})
	c.Login(phone, "mat-khau-thu")
	return c
}

// Login obtains a bearer token.
func (c *Client) Login(phone, password string) {
	c.t.Helper()
	var tok struct{ Token, Role string }
	c.Expect(http.StatusOK, "POST", "/api/v1/sessions", map[string]string{"phone": phone, "password": password}).JSON(c.t, &tok)
	c.Token = tok.Token
	c.participant = tok.Role == "participant"
}

// Staff logs in one of the demo staff accounts with the given role.
func (s *Stack) Staff(t testing.TB, role string) *Client {
	t.Helper()
	c := s.NewClient(t)
	for _, st := range seedDemoStaff() {
		if st.Role == role {
			c.Login(st.Phone, st.Password)
			return c
		}
	}
	t.Fatalf("no demo staff account with role %s", role)
	return nil
}
