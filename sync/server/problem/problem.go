package problem

import (
	"fmt"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Error is a refusal. Code is one of api.Codes; Status is what HTTP answers it with;
// Message says in English what was wrong (never internal details).
type Error struct {
	Code    string
	Status  int
	Message string
	// Key and Args let a reader in another language be told the same: the console's
	// catalogue has "detail."+Key, filled with Args (an *Error among them is said the
	// same way). Key is "" when only the English Message exists.
	Key  string
	Args []any
	// kind names a finer sentinel (Narrow) the error was made from, "" otherwise.
	kind string
}

// Saying gives e the key and arguments of its message in other languages (see Key),
// and returns e.
func (e *Error) Saying(key string, args ...any) *Error {
	e.Key, e.Args = key, args
	return e
}

func (e *Error) Error() string { return e.Message }

// Is makes errors.Is(err, sentinel) hold for every error made from the sentinel: same
// code, and the same finer kind when the sentinel was made by Narrow.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	if t.kind != "" {
		return t.kind == e.kind
	}
	return t.Code == e.Code
}

// New returns an error of an API code, with the code's status from the registry.
func New(code, message string) *Error {
	return &Error{Code: code, Status: api.StatusOf(code), Message: message}
}

// WithStatus returns an error of a code answered with another status than the
// registry's: tus' protocol fixes some statuses, and the console's codes have none.
func WithStatus(code string, status int, message string) *Error {
	return &Error{Code: code, Status: status, Message: message}
}

// Narrow returns a sentinel of e's code, answered with status, that errors.Is tells
// apart from e: errors made from it match it and e, errors made from e match e only.
func (e *Error) Narrow(kind string, status int, message string) *Error {
	return &Error{Code: e.Code, Status: status, Message: message, kind: kind}
}

// Errorf returns an error of sentinel's code, status and kind with a new message.
func Errorf(sentinel *Error, format string, args ...any) *Error {
	return &Error{Code: sentinel.Code, Status: sentinel.Status, Message: fmt.Sprintf(format, args...), kind: sentinel.kind}
}

// BadRequest is a request the API refuses as malformed (400 bad_request).
func BadRequest(message string) *Error { return New(api.CodeBadRequest, message) }

// NotFound is a missing item (404 not_found), also another organisation's.
func NotFound() *Error { return New(api.CodeNotFound, "no such item") }

// Forbidden is a route the caller's role may not use (403 forbidden).
func Forbidden() *Error { return New(api.CodeForbidden, "this role may not use this route") }

// Unauthorized is a request without a valid token (401 unauthorized).
func Unauthorized(message string) *Error { return New(api.CodeUnauthorized, message) }

// Internal is what a client is told of an unexpected error (500 internal).
func Internal() *Error { return New(api.CodeInternal, "internal error") }
