package rules

import "errors"

// ErrQuestionSetTooSmall means a round's question set has fewer questions than one attempt needs.
var ErrQuestionSetTooSmall = errors.New("question set too small")
