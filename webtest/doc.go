//go:build integration

// Package webtest drives the pages of package web in headless Chromium against the real
// stack (internal/testenv). Participants: registration, login, the quiz with the network
// dropping and the time running out, resuming after a reload. Staff: the committee steering
// a rehearsal through its page (with the secretariat resubmitting a set sent back), pages
// refusing other roles, every staff page rendering what the API answers (data made through
// the API, or written to the database where no real flow makes the state on demand, such
// as a ranked week with a tie) and what it refuses, and the files the pages download.
// Nothing stands in for the API. Screenshots at phone and desktop widths, and
// accessibility checks. Chromium comes from deploy/browser.sh.
package webtest
