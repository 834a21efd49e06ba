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
type Participation struct {
	AgencyID     int64   `json:"agency_id"`
	Participants int     `json:"participants"`
	Headcount    int     `json:"headcount"`
	Rate         float64 `json:"rate"` // 0 when the headcount is 0
	Threshold    float64 `json:"threshold"`
	MeetsTarget  bool    `json:"meets_target"`
	RolledUp     bool    `json:"rolled_up"` // counts include child agencies
}

// ParticipationRates computes each agency's rate from the number of distinct participants
// who sat at least once, by agency. Children roll up into their parent.
func ParticipationRates(agencies []AgencyUnit, participants map[int64]int, thresholds map[string]float64) []Participation {
	children := map[int64][]AgencyUnit{}
	for _, a := range agencies {
		if a.ParentID != 0 {
			children[a.ParentID] = append(children[a.ParentID], a)
		}
	}
	out := make([]Participation, 0, len(agencies))
	for _, a := range agencies {
		p := Participation{AgencyID: a.ID, Participants: participants[a.ID], Headcount: a.Headcount, Threshold: thresholds[a.Category]}
		for _, c := range children[a.ID] {
			p.Participants += participants[c.ID]
			p.Headcount += c.Headcount
			p.RolledUp = true
		}
		if p.Headcount > 0 {
			p.Rate = float64(p.Participants) / float64(p.Headcount)
		}
		p.MeetsTarget = p.Headcount > 0 && p.Rate >= p.Threshold
		out = append(out, p)
	}
	slices.SortFunc(out, func(x, y Participation) int { return cmp.Compare(x.AgencyID, y.AgencyID) })
	return out
}
