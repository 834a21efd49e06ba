//go:build integration

package integration

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/hpcontest/contest/internal/testenv"
)

// Two accounts with different phones but the same person's name (spelled with other
// capitals and spaces), date of birth and agency are shown to the committee.
func TestLookalikeRegistrationsAreFlaggedForTheCommittee(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	anonymous := s.NewClient(t)
	var agencies []struct{ ID int64 }
	anonymous.Expect(http.StatusOK, "GET", "/api/v1/agencies", nil).JSON(t, &agencies)
	register := func(name, dob string, agency int64) {
		anonymous.Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{
			"full_name": name, "date_of_birth": dob, "phone": testenv.UniquePhone(),
			"agency_id": agency, "position": "Chuyên viên", "password": "mat-khau-thu",
		})
	}
	register("Nguyễn Thị Hoa", "1990-03-08", agencies[0].ID)
	register("nguyễn  thị hoa", "1990-03-08", agencies[0].ID) // the same person again
	register("Nguyễn Thị Hoa", "1990-03-08", agencies[1].ID)  // a namesake in another agency
	register("Nguyễn Thị Hoa", "1991-03-08", agencies[0].ID)  // a namesake born another year
	var groups []struct {
		AgencyID int64           `json:"agency_id"`
		Accounts json.RawMessage `json:"accounts"`
	}
	s.Staff(t, "committee").Expect(http.StatusOK, "GET", "/api/v1/registrations/suspected-duplicates", nil).JSON(t, &groups)
	if len(groups) != 1 || groups[0].AgencyID != agencies[0].ID {
		t.Fatalf("groups %+v, want one in the first agency", groups)
	}
	var accounts []struct{ Phone string }
	if err := json.Unmarshal(groups[0].Accounts, &accounts); err != nil || len(accounts) != 2 {
		t.Fatalf("accounts %s (%v), want 2", groups[0].Accounts, err)
	}
}
