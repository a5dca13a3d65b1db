package update

import (
	"errors"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Error is a refusal or failure with the code the UI translates (errors.<code>).
type Error struct {
	Code string
	Err  error // the cause, for logs; may be nil
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Code + ": " + e.Err.Error()
	}
	return e.Code
}

func (e *Error) Unwrap() error { return e.Err }

func fail(code string, err error) error { return &Error{Code: code, Err: err} }

// Code is the code of err: its Error's, else unknown.
func Code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return api.CodeUnknown
}
