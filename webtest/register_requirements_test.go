//go:build integration

package webtest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hpcontest/contest/internal/testenv"
)

// TestRegisterShowsWhatTheCampaignRequires: the register page asks GET
// /registration/requirements and shows the CCCD and contest code fields only when the
// campaign requires them, marked required, with the roster-only note when only roster
// members may register; left empty they are refused at their fields before anything is
// sent; filled in, the registration goes through. At 360 and 1280 px. Before this change
// both fields always showed as optional and the page knew nothing of the requirements.
func TestRegisterShowsWhatTheCampaignRequires(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	setSettings := func(settings string) {
		t.Helper()
		if _, err := s.Store.Pool().Exec(t.Context(), `UPDATE campaigns SET settings = settings || $1::jsonb WHERE is_default`, settings); err != nil {
			t.Fatal(err)
		}
	}
	visible := func(b *browser, id string) bool {
		return eval[bool](b, `!document.getElementById(`+js(id)+`).hidden`)
	}
	b := newBrowser(t, s.URL, 360, 740)
	for _, w := range []int64{360, 1280} {
		b.do(chromedp.EmulateViewport(w, 900))
		setSettings(`{"require_cccd": false, "registration_code": "", "registration": "confirm_unmatched"}`)
		b.open("/dang-ky")
		b.waitFor("the requirements", `document.querySelector("#register-form").dataset.requirements === "loaded"`, step)
		if visible(b, "cccd-field") || visible(b, "contest_code-field") || visible(b, "register-roster-only") {
			t.Fatalf("at %d px a campaign that requires nothing more shows the CCCD, the code or the roster note", w)
		}

		setSettings(`{"require_cccd": true, "registration_code": "HP-CCHC-2026", "registration": "roster_only"}`)
		b.open("/dang-ky")
		b.waitFor("the requirements", `document.querySelector("#register-form").dataset.requirements === "loaded"`, step)
		b.waitVisible("#agency-list input[type=radio]")
		if !visible(b, "cccd-field") || !visible(b, "contest_code-field") || !visible(b, "register-roster-only") {
			t.Fatalf("at %d px the required CCCD, code or the roster note is hidden", w)
		}
		if !eval[bool](b, `document.querySelector("#cccd").required && document.querySelector("#contest_code").required`) {
			t.Errorf("at %d px the fields are not marked required", w)
		}
		if got := b.text("#contest_code-label"); got != "Mã dự thi" {
			t.Errorf("at %d px the code's label says %q, want it without \"(nếu có)\"", w, got)
		}
		phone := testenv.UniquePhone()
		b.typeInto("#full_name", "Đặng Thị Yêu Cầu")
		b.typeInto("#date_of_birth", "05061987")
		b.typeInto("#phone", phone)
		b.typeInto("#position", "Chuyên viên")
		b.typeInto("#password", "mat-khau-du-dai")
		b.click(`label[for="` + eval[string](b, `document.querySelector("#agency-list input[type=radio]").id`) + `"]`)
		b.click("#register-submit")
		b.waitVisible("#cccd-error")
		for field, want := range map[string]string{"cccd": "CCCD, 12 chữ số", "contest_code": "Vui lòng nhập mã dự thi"} {
			if got := b.text("#" + field + "-error"); !strings.Contains(got, want) {
				t.Errorf("at %d px the %s error says %q, want %q", w, field, got, want)
			}
		}
		if got := eval[string](b, `document.activeElement.id`); got != "cccd" {
			t.Errorf("focus on %q, want the CCCD", got)
		}
		b.screenshot(fmt.Sprintf("register-requirements-%d", w))

		// Admitted off the roster, the filled-in fields register.
		setSettings(`{"registration": "confirm_unmatched"}`)
		cccd := fmt.Sprintf("0310870%05d", w)
		b.typeInto("#cccd", cccd)
		b.typeInto("#contest_code", "hp-cchc-2026")
		b.click("#register-submit")
		b.waitPath("/dang-nhap")
		var stored string
		if err := s.Store.Pool().QueryRow(t.Context(), `SELECT coalesce(cccd, '') FROM users WHERE phone = $1`, phone).Scan(&stored); err != nil || stored != cccd {
			t.Fatalf("at %d px stored CCCD %q (%v), want %q", w, stored, err, cccd)
		}
	}
	b.assertNoProblems()
}
