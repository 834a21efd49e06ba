//go:build integration

package webtest

import (
	"context"
	"strings"
	"testing"

	"github.com/hpcontest/contest/internal/testenv"
)

// TestCommitteeGrantsAnAccommodationThroughThePage: on /ban-to-chuc the committee's grant
// without a reason is refused at the reason field; with one, the grant is listed with who
// granted it and why.
func TestCommitteeGrantsAnAccommodationThroughThePage(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	p := s.Participant(t)
	var me struct{ ID int64 }
	p.Expect(200, "GET", "/api/v1/me", nil).JSON(t, &me)
	var phone string
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT phone FROM users WHERE id = $1`, me.ID).Scan(&phone); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, s.URL, 1280, 900)
	b.login(s.Staff(t, "committee"))
	b.open("/ban-to-chuc")
	b.waitFor("the rounds to choose from", `document.querySelectorAll("#accommodation-round option").length === 4`, step)
	b.waitVisible("#accommodation-list p")

	b.typeInto("#accommodation-phone", phone)
	b.click("#accommodation-attempt")
	b.click("#accommodation-submit")
	b.waitVisible("#accommodation-error")
	if got := b.text("#accommodation-error"); !strings.Contains(got, "lý do") {
		t.Fatalf("grant without a reason: %q", got)
	}
	if !eval[bool](b, `document.activeElement.id === "accommodation-reason" && document.activeElement.getAttribute("aria-invalid") === "true"`) {
		t.Fatal("the reason field is not marked and focused")
	}
	b.typeInto("#accommodation-reason", "Mất điện tại trụ sở xã (biên bản số 7).")
	b.click("#accommodation-submit")
	b.waitFor("the grant listed", `document.querySelector("#accommodation-table") !== null`, step)
	if got := b.text("#accommodation-table tbody"); !strings.Contains(got, "biên bản số 7") || !strings.Contains(got, "+1 lượt thi") || !strings.Contains(got, "Ban Tổ chức") {
		t.Fatalf("grant listed as %q", got)
	}
	b.screenshot("committee-1280-accommodation")
	b.assertNoProblems()
}
