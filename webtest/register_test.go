//go:build integration

package webtest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hpcontest/contest/internal/testenv"
)

// TestRegisterShowsEveryErrorAtItsField: submitting a form with several problems marks
// every one at its field at once (text, aria-invalid) and moves the focus to the first;
// nothing is registered. The agency search lists each commune with its district
// (district › commune), a district with communes warns that a commune's clerk should pick
// the commune, and the chosen agency is restated by the button. The date of birth is
// typed and shown as dd/mm/yyyy; an API refusal (a phone taken) lands at its field too.
func TestRegisterShowsEveryErrorAtItsField(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	s.Participant(t) // registered through the API: its phone is taken
	var takenPhone string
	if err := s.Store.Pool().QueryRow(t.Context(), `SELECT phone FROM users WHERE role = 'participant' ORDER BY id DESC LIMIT 1`).Scan(&takenPhone); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, s.URL, 360, 740)
	for _, w := range []int64{360, 1280} {
		b.do(chromedp.EmulateViewport(w, 900))
		b.open("/dang-ky")
		b.waitVisible("#agency-list input[type=radio]")
		b.typeInto("#full_name", "A")
		b.typeInto("#date_of_birth", "31/02/1990")
		b.typeInto("#phone", "12345")
		b.typeInto("#email", "khong-phai-email")
		b.typeInto("#password", "ngan")
		b.click("#register-submit")
		b.waitVisible("#full_name-error")
		for field, want := range map[string]string{
			"full_name":     "ít nhất 2 ký tự",
			"date_of_birth": "Ngày sinh chưa đúng",
			"phone":         "Số điện thoại chưa đúng",
			"email":         "Email không hợp lệ",
			"agency":        "Vui lòng chọn cơ quan, đơn vị",
			"position":      "Vui lòng nhập chức vụ",
			"password":      "ít nhất 8 ký tự",
		} {
			if got := b.text("#" + field + "-error"); !strings.Contains(got, want) {
				t.Errorf("at %d px the %s error says %q, want %q", w, field, got, want)
			}
		}
		if got := eval[int](b, `document.querySelectorAll("[aria-invalid=true]").length`); got != 7 {
			t.Errorf("%d fields marked invalid, want 7", got)
		}
		if got := eval[string](b, `document.activeElement.id`); got != "full_name" {
			t.Errorf("focus on %q after submitting, want the first wrong field", got)
		}
		if got := b.text("#register-error"); !strings.Contains(got, "7 mục") {
			t.Errorf("error summary %q", got)
		}
		b.screenshot(fmt.Sprintf("register-field-errors-%d", w))
	}

	// The agency search: every commune with its path; a district warns.
	b.typeInto("#agency-search", "lê chân")
	b.waitFor("filtered", `document.querySelector("#agency-count").textContent.startsWith("4 ")`, step)
	labels := eval[[]string](b, `[...document.querySelectorAll("#agency-list label")].filter(l => l.offsetParent !== null).map(l => l.textContent)`)
	if len(labels) != 4 || labels[0] != "UBND quận Lê Chân" {
		t.Fatalf("search hits %q", labels)
	}
	for _, l := range labels[1:] {
		if !strings.HasPrefix(l, "UBND quận Lê Chân › ") {
			t.Fatalf("hit %q lacks its district", l)
		}
	}
	b.click(`label[for="` + eval[string](b, `[...document.querySelectorAll("#agency-list label")].find(l => l.offsetParent !== null).htmlFor`) + `"]`)
	b.waitVisible("#agency-level-note")
	if got := b.text("#agency-level-note"); !strings.Contains(got, "cấp quận, huyện") {
		t.Fatalf("district note %q", got)
	}
	ward := labels[1]
	b.click(`label[for="` + eval[string](b, `[...document.querySelectorAll("#agency-list label")].find(l => l.textContent === `+js(ward)+`).htmlFor`) + `"]`)
	b.waitFor("the district note gone", `document.querySelector("#agency-level-note").hidden`, step)
	if got := b.text("#agency-selected"); got != "Đã chọn: "+ward {
		t.Fatalf("chosen agency shown as %q, want the path %q", got, ward)
	}
	if got := b.text("#register-summary"); !strings.Contains(got, ward) {
		t.Fatalf("summary by the button %q, want %q", got, ward)
	}
	if !eval[bool](b, `document.querySelector("#agency-error").hidden`) {
		t.Fatal("the agency error stays after choosing one")
	}

	// Fixed fields, digits-only date: dd/mm/yyyy appears as typed; a taken phone is
	// refused by the API and shown at the phone field, with the focus there.
	b.clearField("#full_name")
	b.typeInto("#full_name", "Phạm Thị Kiểm Tra")
	b.clearField("#date_of_birth")
	b.typeInto("#date_of_birth", "09031984")
	if got := eval[string](b, `document.querySelector("#date_of_birth").value`); got != "09/03/1984" {
		t.Fatalf("date typed as digits shows %q", got)
	}
	b.clearField("#phone")
	b.typeInto("#phone", takenPhone)
	b.clearField("#email")
	b.typeInto("#position", "Chuyên viên")
	b.clearField("#password")
	b.typeInto("#password", "mat-khau-du-dai")
	b.click("#register-submit")
	b.waitFor("the phone refused at its field", `!document.querySelector("#phone-error").hidden && document.activeElement.id === "phone"`, step)
	if got := b.text("#phone-error"); !strings.Contains(got, "đã được đăng ký") {
		t.Fatalf("phone error %q", got)
	}
	if got := eval[int](b, `document.querySelectorAll("[aria-invalid=true]").length`); got != 1 {
		t.Fatalf("%d fields marked invalid, want only the phone", got)
	}
	b.screenshot("register-phone-taken-1280")
	b.assertAccessible("/dang-ky (errors)")
	b.assertNoProblems()
}
