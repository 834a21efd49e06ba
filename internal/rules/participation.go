package rules

import (
	"cmp"
	"slices"
)

// AgencyUnit is an agency as participation counts it.
type AgencyUnit struct {
	ID        int64
	ParentID  int64 // 0 for a top-level agency
	Category  string
	Headcount int
}

// Participation is an agency's participation against its threshold. For a district it
// includes its communes (plan II.1: the district committee "including" its communes).
// Participation never exceeds 100 %: an agency (or a commune rolled into it) with more
// participants than its headcount counts at most its headcount, and is flagged, because
// either the headcount or the participants' agencies are wrong and the committee must
// find out which before a collective prize depends on it.
type Participation struct {
	AgencyID     int64 `json:"agency_id"`
	Participants int   `json:"participants"` // the raw count of distinct participants, never capped
	// CountedParticipants is what the rate counts: each agency's (and child's) participants
	// up to its headcount.
	CountedParticipants int     `json:"counted_participants"`
	Headcount           int     `json:"headcount"`
	Rate                float64 `json:"rate"`     // capped at 1; 0 when the headcount is 0
	RawRate             float64 `json:"raw_rate"` // participants / headcount, uncapped; 0 when the headcount is 0
	Threshold           float64 `json:"threshold"`
	MeetsTarget         bool    `json:"meets_target"`
	RolledUp            bool    `json:"rolled_up"` // counts include child agencies
	// OverHeadcount is set when the agency, or a child rolled into it, has more
	// participants than its headcount: its rate was capped.
	OverHeadcount bool `json:"over_headcount"`
}

// ParticipationRates computes each agency's rate from the number of distinct participants
// who sat at least once, by agency. Children roll up into their parent, each contributing
// at most its own headcount.
func ParticipationRates(agencies []AgencyUnit, participants map[int64]int, thresholds map[string]float64) []Participation {
	children := map[int64][]AgencyUnit{}
	for _, a := range agencies {
		if a.ParentID != 0 {
			children[a.ParentID] = append(children[a.ParentID], a)
		}
	}
	out := make([]Participation, 0, len(agencies))
	for _, a := range agencies {
		p := Participation{AgencyID: a.ID, Threshold: thresholds[a.Category]}
		counted := 0
		add := func(u AgencyUnit) {
			n := participants[u.ID]
			p.Participants += n
			p.Headcount += u.Headcount
			counted += min(n, u.Headcount)
			if n > u.Headcount {
				p.OverHeadcount = true
			}
		}
		add(a)
		for _, c := range children[a.ID] {
			add(c)
			p.RolledUp = true
		}
		p.CountedParticipants = counted
		if p.Headcount > 0 {
			p.Rate = float64(counted) / float64(p.Headcount)
			p.RawRate = float64(p.Participants) / float64(p.Headcount)
		}
		p.MeetsTarget = p.Headcount > 0 && p.Rate >= p.Threshold
		out = append(out, p)
	}
	slices.SortFunc(out, func(x, y Participation) int { return cmp.Compare(x.AgencyID, y.AgencyID) })
	return out
}
