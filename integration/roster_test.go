//go:build integration

package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

const rosterHeaderLine = "agency_code,full_name,date_of_birth,phone,cccd\n"

type rosterAnswer struct {
	Error *struct {
		Code string `json:"code"`
	} `json:"error"`
	Written bool           `json:"written"`
	Message string         `json:"message"`
	Summary map[string]int `json:"summary"`
	Lines   []struct {
		Line     int    `json:"line"`
		Outcome  string `json:"outcome"`
		Problems []struct {
			Column  string `json:"column"`
			Message string `json:"message"`
		} `json:"problems"`
	} `json:"lines"`
	Agencies []struct {
		Code      string `json:"code"`
		Members   int    `json:"members"`
		Headcount int    `json:"headcount"`
		Matched   int    `json:"matched"`
		Pending   int    `json:"pending"`
	} `json:"agencies"`
}

func importRoster(t *testing.T, c *testenv.Client, file string, fields map[string]string) (int, rosterAnswer) {
	t.Helper()
	r := c.Multipart("/api/v1/agencies/rosters", fields, "file", "danh-sach.csv", []byte(file))
	var a rosterAnswer
	if err := json.Unmarshal(r.Body, &a); err != nil {
		t.Fatalf("roster answer %d %s: %v", r.Status, r.Body, err)
	}
	return r.Status, a
}

// setRegistration merges settings into the default campaign, which registration reads.
func setRegistration(t *testing.T, s *testenv.Stack, settings string) {
	t.Helper()
	if _, err := s.Store.Pool().Exec(context.Background(),
		`UPDATE campaigns SET settings = settings || $1::jsonb WHERE is_default`, settings); err != nil {
		t.Fatal(err)
	}
}

type person struct {
	name, dob, phone, cccd string
	agencyID               int64
}

func (p person) body(extra map[string]any) map[string]any {
	b := map[string]any{"full_name": p.name, "date_of_birth": p.dob, "phone": p.phone,
		"agency_id": p.agencyID, "position": "Chuyên viên", "password": "Hoi-thi-CCHC-2023"}
	if p.cccd != "" {
		b["cccd"] = p.cccd
	}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

type registered struct {
	ID           int64  `json:"id"`
	RosterStatus string `json:"roster_status"`
	Message      string `json:"message"`
}

func register(t *testing.T, s *testenv.Stack, p person, extra map[string]any) (testenv.Response, registered) {
	t.Helper()
	r := s.NewClient(t).Do("POST", "/api/v1/participants", p.body(extra))
	var out registered
	if r.Status == http.StatusCreated {
		r.JSON(t, &out)
	}
	return r, out
}

func accountsWithPhone(t *testing.T, s *testenv.Stack, phone string) int {
	return countRows(t, s, `SELECT count(*) FROM users WHERE phone = $1`, phone)
}

// TestRosterImportIsAllOrNothingAndAudited: a file with one bad line stores nothing and
// says what is wrong at the line and column; the corrected file replaces the agency's
// roster, can become its headcount, and both imports are in the audit log. A focal point
// imports for their own agency only.
func TestRosterImportIsAllOrNothingAndAudited(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	ag := agencyIDsByCode(t, s)
	secretariat, committee := s.Staff(t, "secretariat"), s.Staff(t, "committee")
	setRegistration(t, s, `{"registration": "roster_only"}`)
	an := person{"Nguyễn Văn An", "1985-03-07", testenv.UniquePhone(), "", ag["so-tai-chinh"]}
	good := rosterHeaderLine +
		"so-tai-chinh,Nguyễn Văn An,07/03/1985," + an.phone + ",\n" +
		"so-tai-chinh,Trần Thị Bình,1990-12-01," + testenv.UniquePhone() + ",031090001234\n"
	bad := good + "so-tai-chinh,Lê Văn Cường,01/01/1980,0212345678,\n" + "so-khong-co,Phạm Thị Dung,01/01/1981," + testenv.UniquePhone() + ",\n"

	status, a := importRoster(t, secretariat, bad, map[string]string{"set_headcount": "true"})
	if status != http.StatusUnprocessableEntity || a.Error == nil || a.Error.Code != "roster_import_refused" || a.Written {
		t.Fatalf("bad file: %d %+v", status, a)
	}
	if a.Summary["accepted"] != 2 || a.Summary["refused"] != 2 || !strings.Contains(a.Message, "chưa có gì được lưu") {
		t.Fatalf("bad file summary %v, message %q", a.Summary, a.Message)
	}
	if p := a.Lines[2].Problems; a.Lines[2].Line != 4 || len(p) != 1 || p[0].Column != "phone" || !strings.Contains(p[0].Message, "di động") {
		t.Fatalf("line 4 answer %+v", a.Lines[2])
	}
	if p := a.Lines[3].Problems; len(p) != 1 || p[0].Column != "agency_code" || !strings.Contains(p[0].Message, "so-khong-co") {
		t.Fatalf("line 5 answer %+v", a.Lines[3])
	}
	var refusedAudit struct {
		Written      bool `json:"written"`
		RefusedLines int  `json:"refused_lines"`
	}
	if e := auditWith(t, committee, "roster_import", &refusedAudit); refusedAudit.Written || refusedAudit.RefusedLines != 2 || e.Status != http.StatusUnprocessableEntity {
		t.Fatalf("audit of the refused import %+v %+v", e, refusedAudit)
	}
	if n := countRows(t, s, `SELECT count(*) FROM roster_members`); n != 0 {
		t.Fatalf("%d roster members stored by a refused import", n)
	}
	if r, _ := register(t, s, an, nil); r.Status != http.StatusForbidden || r.ErrorCode() != "not_on_roster" {
		t.Fatalf("registration against no roster: %d %s", r.Status, r.Body)
	}

	status, a = importRoster(t, secretariat, good, map[string]string{"set_headcount": "true"})
	if status != http.StatusOK || !a.Written || len(a.Agencies) != 1 || a.Agencies[0].Members != 2 || a.Agencies[0].Headcount != 2 {
		t.Fatalf("good file: %d %+v", status, a)
	}
	var hist headcountHistory
	committee.Expect(http.StatusOK, "GET", fmt.Sprintf("/api/v1/agencies/%d/headcount-history", ag["so-tai-chinh"]), nil).JSON(t, &hist)
	if hist.Agency.Headcount != 2 || len(hist.Changes) == 0 || hist.Changes[0].NewHeadcount != 2 || hist.Changes[0].Source != "import" {
		t.Fatalf("headcount after the roster: %+v", hist)
	}
	var writtenAudit struct {
		Written  bool     `json:"written"`
		Agencies []string `json:"agencies"`
		Members  int      `json:"members"`
	}
	waitFor(t, 10*time.Second, "the written import in the audit log", func() bool {
		auditWith(t, committee, "roster_import", &writtenAudit)
		return writtenAudit.Written
	})
	if writtenAudit.Members != 2 || !slices.Equal(writtenAudit.Agencies, []string{"so-tai-chinh"}) {
		t.Fatalf("audit of the import %+v", writtenAudit)
	}
	// The member registers with the name typed differently and the phone in +84 form.
	typed := an
	typed.name, typed.phone = "nguyễn  văn an", "+84"+an.phone[1:]
	if r, reg := register(t, s, typed, nil); r.Status != http.StatusCreated || reg.RosterStatus != "matched" {
		t.Fatalf("roster member's registration: %d %s", r.Status, r.Body)
	}

	// A focal point of Sở Nội vụ cannot write Sở Tài chính's roster.
	fp := focalPoint(t, s, ag["so-noi-vu"])
	status, a = importRoster(t, fp, rosterHeaderLine+"so-tai-chinh,Người Lạ,01/01/1980,"+testenv.UniquePhone()+",\n", nil)
	if status != http.StatusUnprocessableEntity || a.Written || len(a.Lines) != 1 || a.Lines[0].Problems[0].Column != "agency_code" {
		t.Fatalf("focal point importing another agency: %d %+v", status, a)
	}
	if n := countRows(t, s, `SELECT count(*) FROM roster_members WHERE agency_id = $1`, ag["so-tai-chinh"]); n != 2 {
		t.Fatalf("Sở Tài chính's roster has %d members after another agency's focal point tried, want 2", n)
	}
	status, a = importRoster(t, fp, rosterHeaderLine+"so-noi-vu,Người Nội Vụ,01/01/1980,"+testenv.UniquePhone()+",\n", nil)
	if status != http.StatusOK || !a.Written {
		t.Fatalf("focal point importing their own agency: %d %+v", status, a)
	}
}

// TestRosterOnlyRefusesANonMember: with registration "roster_only", someone the agency's
// roster does not list (or lists with another date of birth) is refused, and nothing is stored.
func TestRosterOnlyRefusesANonMember(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	ag := agencyIDsByCode(t, s)
	member := person{"Hoàng Thị Mai", "1982-05-20", testenv.UniquePhone(), "", ag["so-tu-phap"]}
	if status, a := importRoster(t, s.Staff(t, "secretariat"), rosterHeaderLine+"so-tu-phap,Hoàng Thị Mai,20/05/1982,"+member.phone+",\n", nil); status != http.StatusOK {
		t.Fatalf("roster import %d %+v", status, a)
	}
	setRegistration(t, s, `{"registration": "roster_only"}`)
	stranger := person{"Đỗ Văn Lạ", "1984-01-01", testenv.UniquePhone(), "", ag["so-tu-phap"]}
	wrongDate := member
	wrongDate.dob = "1982-05-21"
	for what, p := range map[string]person{"a stranger": stranger, "the member with another date of birth": wrongDate} {
		r, _ := register(t, s, p, nil)
		if r.Status != http.StatusForbidden || r.ErrorCode() != "not_on_roster" || !strings.Contains(string(r.Body), "Sở Tư pháp") {
			t.Fatalf("%s: %d %s", what, r.Status, r.Body)
		}
		if n := accountsWithPhone(t, s, p.phone); n != 0 {
			t.Fatalf("%s: %d accounts stored", what, n)
		}
	}
	if r, reg := register(t, s, member, nil); r.Status != http.StatusCreated || reg.RosterStatus != "matched" {
		t.Fatalf("the member: %d %s", r.Status, r.Body)
	}
}

// TestUnmatchedRegistrationWaitsForTheFocalPoint: with the default "confirm_unmatched", a
// registration the roster does not list, and an account that registered before the roster
// arrived, count for no agency (participation, the zero-score rule) and win nothing until
// the focal point confirms them; a rejected account stays out.
func TestUnmatchedRegistrationWaitsForTheFocalPoint(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	ctx := context.Background()
	ag := agencyIDsByCode(t, s)
	stc := ag["so-tai-chinh"]
	committee := s.Staff(t, "committee")
	early := person{"Vũ Văn Sớm", "1979-09-09", testenv.UniquePhone(), "", stc}
	r, earlyReg := register(t, s, early, nil)
	if r.Status != http.StatusCreated || earlyReg.RosterStatus != "unchecked" {
		t.Fatalf("registration before the roster: %d %s", r.Status, r.Body)
	}
	member := person{"Ngô Thị Hạnh", "1986-02-03", testenv.UniquePhone(), "", stc}
	if status, a := importRoster(t, s.Staff(t, "secretariat"), rosterHeaderLine+"so-tai-chinh,Ngô Thị Hạnh,03/02/1986,"+member.phone+",\n", nil); status != http.StatusOK || a.Agencies[0].Pending != 1 {
		t.Fatalf("roster import %d %+v: the early account must now wait", status, a)
	}
	_, memberReg := register(t, s, member, nil)
	stranger := person{"Lý Văn Ngoài", "1986-07-08", testenv.UniquePhone(), "", stc}
	r, strangerReg := register(t, s, stranger, nil)
	if r.Status != http.StatusCreated || strangerReg.RosterStatus != "pending" || !strings.Contains(strangerReg.Message, "chờ đầu mối") {
		t.Fatalf("unmatched registration: %d %s", r.Status, r.Body)
	}

	round1 := roundIDByNumber(t, s, 1)
	finished := s.Campaign.Rounds[0].OpensAt.Add(time.Hour)
	insertResult(t, s, round1, memberReg.ID, stc, 7, 300*time.Second, finished)
	insertResult(t, s, round1, strangerReg.ID, stc, 10, 100*time.Second, finished)
	insertResult(t, s, round1, earlyReg.ID, stc, 0, 5*time.Second, finished) // the blank attempt

	participants := func() int {
		return getParticipation(t, committee, s.Campaign.Code, "?round=1").byCode()["so-tai-chinh"].Participants
	}
	zeroWeeks := func() []int {
		stats, err := s.Store.AgencyQuizStatsOf(ctx, mustCampaignID(t, committee, s.Campaign.Code))
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range stats {
			if st.AgencyID == stc {
				return st.ZeroWeeks
			}
		}
		return nil
	}
	rank := func() map[int64]string {
		if _, err := s.Activities().RankRound(ctx, workflows.RankRequest{RoundID: round1, Criteria: rules.DefaultRanking,
			Prizes: rules.PrizeCounts{First: 1, Second: 2, Third: 3}}); err != nil {
			t.Fatal(err)
		}
		var a rankingAnswer
		committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+s.Campaign.Code+"/rounds/1/ranking", nil).JSON(t, &a)
		return a.prizes()
	}
	if n := participants(); n != 1 {
		t.Fatalf("Sở Tài chính has %d participants, want 1: unconfirmed accounts must not count", n)
	}
	if z := zeroWeeks(); len(z) != 0 {
		t.Fatalf("zero-score weeks %v: an unconfirmed blank attempt must not disqualify the agency", z)
	}
	if p := rank(); p[strangerReg.ID] != "" || p[memberReg.ID] != "first" {
		t.Fatalf("prizes %v: the unconfirmed 10/10 must win nothing, the member first", p)
	}
	var view struct {
		Ranking struct {
			Rows []struct {
				ParticipantID     int64 `json:"participant_id"`
				RosterUnconfirmed bool  `json:"roster_unconfirmed"`
			} `json:"rows"`
		} `json:"ranking"`
	}
	committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+s.Campaign.Code+"/rounds/1/ranking", nil).JSON(t, &view)
	for _, row := range view.Ranking.Rows {
		if want := row.ParticipantID != memberReg.ID; row.RosterUnconfirmed != want {
			t.Fatalf("ranking row %d roster_unconfirmed %v, want %v", row.ParticipantID, row.RosterUnconfirmed, want)
		}
	}

	fp := focalPoint(t, s, stc)
	var list struct {
		Rows []struct {
			ID           int64  `json:"id"`
			DateOfBirth  string `json:"date_of_birth"`
			RosterStatus string `json:"roster_status"`
		} `json:"rows"`
	}
	fp.Expect(http.StatusOK, "GET", "/api/v1/registrations/unconfirmed", nil).JSON(t, &list)
	if len(list.Rows) != 2 || list.Rows[0].RosterStatus != "pending" || list.Rows[1].RosterStatus != "pending" {
		t.Fatalf("unconfirmed list %+v, want the stranger and the early account pending", list)
	}
	for _, row := range list.Rows {
		if !strings.HasPrefix(row.DateOfBirth, "**/**/") {
			t.Fatalf("the focal point's list shows a date of birth %q unmasked", row.DateOfBirth)
		}
	}
	other := focalPoint(t, s, ag["so-noi-vu"])
	if r := other.Do("PUT", fmt.Sprintf("/api/v1/participants/%d/roster-decision", strangerReg.ID), map[string]any{"decision": "confirmed"}); r.Status != http.StatusForbidden {
		t.Fatalf("another agency's focal point confirmed: %d %s", r.Status, r.Body)
	}
	fp.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/participants/%d/roster-decision", strangerReg.ID), map[string]any{"decision": "confirmed"})
	fp.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/participants/%d/roster-decision", earlyReg.ID), map[string]any{"decision": "rejected"})
	var decision struct {
		ParticipantID int64  `json:"participant_id"`
		To            string `json:"to"`
	}
	waitFor(t, 10*time.Second, "the confirmation in the audit log", func() bool {
		auditWith(t, committee, "roster_decision", &decision)
		return decision.ParticipantID == earlyReg.ID
	})
	if decision.To != "rejected" {
		t.Fatalf("audited decision %+v", decision)
	}
	if r := fp.Do("PUT", fmt.Sprintf("/api/v1/participants/%d/roster-decision", memberReg.ID), map[string]any{"decision": "rejected"}); r.Status != http.StatusConflict {
		t.Fatalf("a roster member needs no decision: %d %s", r.Status, r.Body)
	}

	if n := participants(); n != 2 {
		t.Fatalf("Sở Tài chính has %d participants after the confirmation, want 2", n)
	}
	if z := zeroWeeks(); len(z) != 0 {
		t.Fatalf("zero-score weeks %v after rejecting the blank attempt's account", z)
	}
	if p := rank(); p[strangerReg.ID] != "first" || p[memberReg.ID] != "second" || p[earlyReg.ID] != "" {
		t.Fatalf("prizes after the confirmation %v", p)
	}
}

// TestRegistrationRequiresCCCDAndContestCode: a campaign that requires the CCCD and a
// contest code refuses a registration without them, or with a malformed CCCD or a wrong
// code, at the field and in Vietnamese, storing nothing; one CCCD registers once.
func TestRegistrationRequiresCCCDAndContestCode(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	ag := agencyIDsByCode(t, s)
	setRegistration(t, s, `{"require_cccd": true, "registration_code": "HP-CCHC-2023"}`)
	p := person{"Bùi Thị Thu", "1988-11-11", testenv.UniquePhone(), "", ag["so-noi-vu"]}
	withID := p
	withID.cccd = "031 088 001 122"
	cases := []struct {
		name   string
		p      person
		extra  map[string]any
		status int
		code   string
		field  string
	}{
		{"no CCCD", p, map[string]any{"contest_code": "HP-CCHC-2023"}, 400, "invalid_field", "cccd"},
		{"eleven digits", person{p.name, p.dob, p.phone, "03108800112", p.agencyID}, map[string]any{"contest_code": "HP-CCHC-2023"}, 400, "invalid_field", "cccd"},
		{"no contest code", withID, nil, 400, "invalid_field", "contest_code"},
		{"wrong contest code", withID, map[string]any{"contest_code": "HP-2022"}, 403, "contest_code_invalid", "contest_code"},
	}
	for _, c := range cases {
		r, _ := register(t, s, c.p, c.extra)
		var e struct {
			Error struct {
				Code, Message, Field string
			} `json:"error"`
		}
		_ = json.Unmarshal(r.Body, &e)
		if r.Status != c.status || e.Error.Code != c.code || e.Error.Field != c.field || e.Error.Message == "" {
			t.Fatalf("%s: %d %s", c.name, r.Status, r.Body)
		}
		if n := accountsWithPhone(t, s, p.phone); n != 0 {
			t.Fatalf("%s: %d accounts stored", c.name, n)
		}
	}
	if r, _ := register(t, s, withID, map[string]any{"contest_code": "hp-cchc-2023"}); r.Status != http.StatusCreated {
		t.Fatalf("complete registration: %d %s", r.Status, r.Body)
	}
	if n := countRows(t, s, `SELECT count(*) FROM users WHERE phone = $1 AND cccd = '031088001122'`, p.phone); n != 1 {
		t.Fatal("the CCCD was not stored normalized")
	}
	again := withID
	again.phone, again.name = testenv.UniquePhone(), "Bùi Thị Thu Hà"
	if r, _ := register(t, s, again, map[string]any{"contest_code": "HP-CCHC-2023"}); r.Status != http.StatusConflict || r.ErrorCode() != "cccd_taken" {
		t.Fatalf("second account with the same CCCD: %d %s", r.Status, r.Body)
	}
}

// TestPersonalDataMaskedExceptTheCommitteePrizeList: the participant list (committee and
// focal point) shows CCCD and dates of birth masked; the committee's prize list shows them
// in full, and reading it is audited; a focal point cannot read it.
func TestPersonalDataMaskedExceptTheCommitteePrizeList(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	ctx := context.Background()
	ag := agencyIDsByCode(t, s)
	committee := s.Staff(t, "committee")
	winner := person{"Đinh Văn Giải", "1985-03-07", testenv.UniquePhone(), "031085001234", ag["so-tu-phap"]}
	_, reg := register(t, s, winner, nil)
	other := person{"Mai Thị Khác", "1990-01-02", testenv.UniquePhone(), "031090005678", ag["so-noi-vu"]}
	register(t, s, other, nil)
	round1 := roundIDByNumber(t, s, 1)
	insertResult(t, s, round1, reg.ID, ag["so-tu-phap"], 9, 200*time.Second, s.Campaign.Rounds[0].OpensAt.Add(time.Hour))
	if _, err := s.Activities().RankRound(ctx, workflows.RankRequest{RoundID: round1, Criteria: rules.DefaultRanking,
		Prizes: rules.PrizeCounts{First: 1, Second: 2, Third: 3}}); err != nil {
		t.Fatal(err)
	}
	base := "/api/v1/campaigns/" + s.Campaign.Code + "/reports/"
	full := []string{"031085001234", "07/03/1985", "1985-03-07"}

	list := string(committee.Expect(http.StatusOK, "GET", base+"participants.json", nil).Body)
	if !strings.Contains(list, "********1234") || !strings.Contains(list, "**/**/1985") || !strings.Contains(list, "Đinh Văn Giải") {
		t.Fatalf("participant list lacks the masked values: %s", list)
	}
	for _, v := range full {
		if strings.Contains(list, v) {
			t.Fatalf("participant list shows %q in full", v)
		}
	}
	fp := focalPoint(t, s, ag["so-tu-phap"])
	own := string(fp.Expect(http.StatusOK, "GET", base+"participants.json", nil).Body)
	if !strings.Contains(own, "********1234") || strings.Contains(own, "Mai Thị Khác") || strings.Contains(own, "031085001234") {
		t.Fatalf("focal point's participant list: %s", own)
	}
	if r := fp.Do("GET", base+"prize_winners.json", nil); r.Status != http.StatusForbidden {
		t.Fatalf("focal point read the prize list: %d", r.Status)
	}
	committee.Expect(http.StatusOK, "GET", base+"participants.xlsx", nil)

	prizes := string(committee.Expect(http.StatusOK, "GET", base+"prize_winners.json", nil).Body)
	if !strings.Contains(prizes, "031085001234") || !strings.Contains(prizes, "07/03/1985") || !strings.Contains(prizes, "Giải Nhất") {
		t.Fatalf("prize list lacks the full identity: %s", prizes)
	}
	var read struct {
		Report string `json:"report"`
		Rows   int    `json:"rows"`
	}
	if e := auditWith(t, committee, "personal_data_read", &read); read.Report != "prize_winners" || read.Rows != 1 || e.Role != "committee" {
		t.Fatalf("audit of the prize list read %+v %+v", e, read)
	}
}
