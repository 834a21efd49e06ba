//go:build integration

package integration

import (
	"encoding/json"
	"net/http"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/hpcontest/contest/internal/testenv"
)

// A name typed with decomposed diacritics is stored NFC; a registration whose name swaps a
// Latin "a" for the Cyrillic "а" (same date of birth and agency) is shown to the committee
// as a suspected duplicate of the original.
func TestNamesAreStoredNFCAndLookalikeLettersAreFlagged(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	anonymous := s.NewClient(t)
	var agencies []struct{ ID int64 }
	anonymous.Expect(http.StatusOK, "GET", "/api/v1/agencies", nil).JSON(t, &agencies)
	register := func(name string) int64 {
		var created struct{ ID int64 }
		anonymous.Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{
			"full_name": name, "date_of_birth": "1987-09-02", "phone": testenv.UniquePhone(),
			"agency_id": agencies[0].ID, "position": "Chuyên viên", "password": "mat-khau-thu",
		}).JSON(t, &created)
		return created.ID
	}
	const composed = "Phạm Thị Ngọc Ánh"
	decomposed := norm.NFD.String(composed)
	if decomposed == composed {
		t.Fatal("test input is not decomposed")
	}
	id := register(decomposed)
	var stored string
	if err := s.Store.Pool().QueryRow(t.Context(), `SELECT full_name FROM users WHERE id = $1`, id).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != composed {
		t.Fatalf("stored %q (%x), want NFC %q (%x)", stored, stored, composed, composed)
	}

	original := register("Lê Thanh Hoa")
	lookalike := register("Lê Thanh Ho\u0430") // the last letter is Cyrillic
	var groups []struct {
		Accounts json.RawMessage `json:"accounts"`
	}
	s.Staff(t, "committee").Expect(http.StatusOK, "GET", "/api/v1/registrations/suspected-duplicates", nil).JSON(t, &groups)
	if len(groups) != 1 {
		t.Fatalf("groups %+v, want the look-alike pair only", groups)
	}
	var accounts []struct{ ID int64 }
	if err := json.Unmarshal(groups[0].Accounts, &accounts); err != nil || len(accounts) != 2 ||
		accounts[0].ID != original || accounts[1].ID != lookalike {
		t.Fatalf("accounts %s (%v), want %d then %d", groups[0].Accounts, err, original, lookalike)
	}
}
