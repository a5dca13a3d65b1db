package client

import (
	"errors"
	"fmt"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Error is a failed call. Code says what happened in a way a UI can explain; Err keeps
// the cause for logs.
type Error struct {
	Code   string
	Status int // HTTP status, 0 when there was no answer
	Err    error
	// Reason is the server's own error code when it gave one (e.g. too_large).
	Reason string
	// RetryAfter is how long the server asked to wait (429, 503), 0 when it did not.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Code, e.Err)
	}
	return e.Code
}

func (e *Error) Unwrap() error { return e.Err }

// Code returns the code of err when it is (or wraps) an *Error, else "".
func Code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// RetryAfter returns how long the server asked to wait before the next try, or 0.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// Temporary reports whether retrying later may succeed without the user doing anything:
// the error has a code that the registry (api.Codes) marks retryable.
func Temporary(err error) bool { return api.Retryable(Code(err)) }
