package store

import "github.com/hpcontest/contest"

// Domain errors, now in the domain package; these are the same values, so errors.Is
// matches either name.
var (
	// Deprecated: use contest.ErrNotFound.
	ErrNotFound = contest.ErrNotFound
	// Deprecated: use contest.ErrDuplicatePhone.
	ErrDuplicatePhone = contest.ErrDuplicatePhone
	// Deprecated: use contest.ErrUnknownAgency.
	ErrUnknownAgency = contest.ErrUnknownAgency
	// Deprecated: use contest.ErrRoundNotOpen.
	ErrRoundNotOpen = contest.ErrRoundNotOpen
	// Deprecated: use contest.ErrAttemptInProgress.
	ErrAttemptInProgress = contest.ErrAttemptInProgress
	// Deprecated: use contest.ErrAttemptLimit.
	ErrAttemptLimit = contest.ErrAttemptLimit
	// Deprecated: use contest.ErrAttemptClosed.
	ErrAttemptClosed = contest.ErrAttemptClosed
	// Deprecated: use contest.ErrQuestionOutOfRange.
	ErrQuestionOutOfRange = contest.ErrQuestionOutOfRange
	// Deprecated: use contest.ErrNotParticipant.
	ErrNotParticipant = contest.ErrNotParticipant
	// Deprecated: use contest.ErrRehearsalOnly.
	ErrRehearsalOnly = contest.ErrRehearsalOnly
	// Deprecated: use contest.ErrTesterAccount.
	ErrTesterAccount = contest.ErrTesterAccount
	// Deprecated: use contest.ErrNotApproved.
	ErrNotApproved = contest.ErrNotApproved
	// Deprecated: use contest.ErrDuplicateCCCD.
	ErrDuplicateCCCD = contest.ErrDuplicateCCCD
)
