// Package webtest drives the participant pages (package web) in headless Chromium against
// the real stack (internal/testenv): registration, login, the quiz with the network
// dropping and the time running out, resuming after a reload, screenshots at phone and
// desktop widths, and accessibility checks. Chromium comes from deploy/browser.sh.
package webtest
