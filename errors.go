package contest

import "errors"

// Domain errors the API maps to HTTP answers. Anything else is an internal failure.
var (
	ErrNotFound           = errors.New("not found")
	ErrDuplicatePhone     = errors.New("phone number already registered")
	ErrDuplicateCCCD      = errors.New("citizen ID number already registered")
	ErrUnknownAgency      = errors.New("unknown agency")
	ErrRoundNotOpen       = errors.New("round is not open")
	ErrAttemptInProgress  = errors.New("another attempt is in progress")
	ErrAttemptLimit       = errors.New("attempt limit reached for this round")
	ErrAttemptClosed      = errors.New("attempt is closed")
	ErrQuestionOutOfRange = errors.New("question number outside the attempt")
	ErrNotParticipant     = errors.New("account may not sit the contest")
	// ErrRehearsalOnly refuses an account that is neither staff nor a marked tester
	// anything of a rehearsal round: starting, answering, its review, its results.
	ErrRehearsalOnly = errors.New("rehearsal rounds are for staff and testers only")
	// ErrTesterAccount refuses a marked tester a real round: it may have seen the real
	// sets' correct options in a rehearsal's review.
	ErrTesterAccount = errors.New("tester accounts do not sit real rounds")
	// ErrNotApproved means a round's results have not been approved for publication.
	ErrNotApproved = errors.New("results not approved")
	// ErrExportNotReady means an export has no file (yet, or ever: it failed).
	ErrExportNotReady = errors.New("export not ready")
	ErrAlreadyScored  = errors.New("juror already scored this clip")
	ErrJuryClosed     = errors.New("jury scoring is closed")
	// ErrStageConflict is a decision the campaign's current stage does not allow.
	ErrStageConflict = errors.New("decision not allowed in the current stage")
)
