// Package contest is the contest's vocabulary: who takes part (roles), what states an
// attempt, a round and a question set pass through, which decisions people take and
// with what outcomes, the campaign's stages and their Vietnamese names, and the domain
// errors every layer speaks. It imports nothing from this module and no driver, so that
// workflows, store, api and the pages' labels can all depend on it.
package contest

// Roles. Only participants may sit the quiz (plan II.1 excludes staff).
const (
	RoleParticipant = "participant"
	RoleAgency      = "agency"
	RoleSecretariat = "secretariat"
	RoleJury        = "jury"
	RoleCommittee   = "committee"
	RoleAdmin       = "admin"
)

// Attempt statuses.
const (
	StatusInProgress    = "in_progress"
	StatusSubmitted     = "submitted"
	StatusAutoSubmitted = "auto_submitted"
	// StatusAbandoned marks an exam whose attempt was withdrawn because its start failed.
	StatusAbandoned = "abandoned"
)

// Round states, only ever moving forward (mirrored in rounds.state).
const (
	RoundScheduled = "scheduled"
	RoundOpen      = "open"
	RoundClosed    = "closed"
	RoundRanked    = "ranked"
	RoundApproved  = "approved"
	RoundPublished = "published"
)

// Question set statuses, as the committee's decisions move them.
const (
	SetReady    = "ready"
	SetApproved = "approved"
	SetSentBack = "sent_back"
)
