//go:build integration

package webtest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hpcontest/contest/internal/testenv"
)

// TestFocalPointConfirmsAnUnmatchedRegistration: on /don-vi the focal point of an agency
// with a roster sees the registration the roster does not list, its date of birth and CCCD
// masked, and confirms it with a click; the page says so and the row shows it confirmed.
func TestFocalPointConfirmsAnUnmatchedRegistration(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	var agencyID int64
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT id FROM agencies WHERE code = 'so-tai-chinh'`).Scan(&agencyID); err != nil {
		t.Fatal(err)
	}
	secretariat := s.Staff(t, "secretariat")
	roster := "agency_code,full_name,date_of_birth,phone,cccd\nso-tai-chinh,Ngô Thị Hạnh,03/02/1986," + testenv.UniquePhone() + ",\n"
	if r := secretariat.Multipart("/api/v1/agencies/rosters", nil, "file", "ds.csv", []byte(roster)); r.Status != http.StatusOK {
		t.Fatalf("roster import %d %s", r.Status, r.Body)
	}
	var reg struct {
		ID int64 `json:"id"`
	}
	s.NewClient(t).Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{
		"full_name": "Lý Văn Ngoài", "date_of_birth": "1986-07-08", "phone": testenv.UniquePhone(), "cccd": "031086004321",
		"agency_id": agencyID, "position": "Chuyên viên", "password": "Hoi-thi-CCHC-2023",
	}).JSON(t, &reg)

	b := newBrowser(t, s.URL, 360, 740)
	b.login(agencyAccount(t, s, &agencyID))
	b.open("/don-vi")
	row := fmt.Sprintf("#pending-%d", reg.ID)
	b.waitVisible(row)
	if got := b.text(row); !strings.Contains(got, "**/**/1986") || !strings.Contains(got, "********4321") || strings.Contains(got, "031086004321") {
		t.Fatalf("pending row %q: date of birth and CCCD must be masked", got)
	}
	b.assertAccessible("/don-vi (pending registrations)")
	b.screenshot("agency-pending-360")
	b.click(fmt.Sprintf("#decide-%d-confirmed", reg.ID))
	b.waitFor("the confirmation on the page", `document.querySelector("#agency-pending-status").textContent.indexOf("Đã xác nhận") === 0`, step)
	b.waitFor("the row confirmed", fmt.Sprintf(`(document.querySelector(%q) || {textContent: ""}).textContent.indexOf("Đã xác nhận") >= 0`, row), step)
	b.assertNoProblems()
}
