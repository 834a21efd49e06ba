// Package reports builds the contest's reports (plan 274, IV item 3.4 and VII.1) as data
// (a Report of titled sheets) and renders any Report to an Excel workbook or to JSON.
// Each kind of report registers a Builder; the API and the background export task look
// kinds up by name, so another part of the system can add its own kinds.
package reports

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
	_ "time/tzdata" // campaign time zones whatever the host has

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/store"
)

// Report is a document of one or more tables.
type Report struct {
	Title  string  `json:"title"`
	Sheets []Sheet `json:"sheets"`
	// Campaign and Date go into the printed page header of every worksheet: whose report
	// it is and as of when. A zero Date prints the day the workbook is written.
	Campaign string    `json:"-"`
	Date     time.Time `json:"-"`
}

// Sheet is one table: a worksheet in Excel. Rows hold plain values: string, the integer
// types, float64, Percent, bool, time.Time, nil (an empty cell), or pointers to those.
type Sheet struct {
	Name    string   `json:"name"`  // the worksheet's tab (at most 31 characters in Excel)
	Title   string   `json:"title"` // the heading above the table
	Headers []string `json:"headers"`
	Rows    [][]any  `json:"rows"`
	// Totals, when set, is a bold row under the data (outside the autofilter), for the
	// columns whose sum means something; nil elsewhere.
	Totals []any `json:"totals,omitempty"`
}

// Percent is a rate as a fraction (0.705 is 70.5 %). Excel shows it with a percentage
// format; JSON carries the fraction.
type Percent float64

// Ratio is a coefficient shown with two decimals (a discrimination index of -0.33).
type Ratio float64

// Builder builds a report of a campaign.
type Builder func(ctx context.Context, st *store.Store, campaignID int64) (Report, error)

var (
	mu       sync.RWMutex
	builders = map[string]Builder{}
)

// Register makes a kind of report available. It panics on an empty kind, a nil builder or
// a kind registered twice: all three are programming errors found at start-up.
func Register(kind string, b Builder) {
	mu.Lock()
	defer mu.Unlock()
	if kind == "" || b == nil {
		panic("reports: Register with an empty kind or a nil builder")
	}
	if _, dup := builders[kind]; dup {
		panic(fmt.Sprintf("reports: kind %q registered twice", kind))
	}
	builders[kind] = b
}

// Lookup returns the builder of a kind.
func Lookup(kind string) (Builder, bool) {
	mu.RLock()
	defer mu.RUnlock()
	b, ok := builders[kind]
	return b, ok
}

// Kinds lists the registered kinds, sorted.
func Kinds() []string {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]string, 0, len(builders))
	for k := range builders {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// RowCount is the number of data rows over every sheet.
func (r Report) RowCount() int {
	n := 0
	for _, s := range r.Sheets {
		n += len(s.Rows)
	}
	return n
}

// Kinds built into this package.
const (
	KindWeeklyResults = "weekly_results"
	KindParticipation = "participation"
	KindFinalSummary  = "final_summary"
)

func init() {
	Register(KindWeeklyResults, WeeklyResults)
	Register(KindParticipation, func(ctx context.Context, st *store.Store, campaignID int64) (Report, error) {
		return ParticipationReport(ctx, st, campaignID, 0)
	})
	Register(KindFinalSummary, FinalSummary)
}

// campaignLocation is the campaign's time zone, where every time of its reports is shown.
func campaignLocation(c store.Campaign) *time.Location {
	if loc, err := time.LoadLocation(c.Timezone); err == nil {
		return loc
	}
	return time.UTC
}

// Vietnamese names used across the reports.
var (
	categoryLabels = map[string]string{
		"city_department": "Sở, ban, ngành thành phố",
		"central":         "Cơ quan Trung ương trên địa bàn",
		"district":        "UBND quận, huyện",
		"commune":         "UBND xã, phường, thị trấn",
	}
	decisionLabels = map[string]string{
		"question_set":       "Phê duyệt bộ câu hỏi",
		"question_set_ready": "Trình lại bộ câu hỏi",
		"go_live":            "Đưa phần mềm vào vận hành chính thức",
		"weekly_results":     "Phê duyệt kết quả tuần",
		"close_jury":         "Kết thúc chấm video clip",
		"joint_meeting":      "Họp Ban Tổ chức và Ban Giám khảo",
		"final_results":      "Quyết định phê duyệt kết quả Hội thi",
		"ceremony_held":      "Tổ chức lễ tổng kết",
	}
	outcomeLabels = map[string]string{"approved": "Phê duyệt", "sent_back": "Trả lại", "done": "Đã thực hiện"}
)

// The names shared with the API and the notifications.
var (
	prizeLabels = contest.PrizeLabels
	stageLabels = contest.StageLabels
	roundStates = contest.RoundStateLabels
)

func labelOf(m map[string]string, key string) string { return contest.Label(m, key) }

func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

const dateLayout = "02/01/2006"

// roundDates is a round's span as people say it: from its first day to its last (a round
// closing at midnight ends the day before).
func roundDates(opensAt, closesAt time.Time, loc *time.Location) string {
	return opensAt.In(loc).Format(dateLayout) + " – " + closesAt.Add(-time.Nanosecond).In(loc).Format(dateLayout)
}
