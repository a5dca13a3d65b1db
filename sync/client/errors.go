package client

import (
	"errors"
	"fmt"
)

// Error codes of *Error. The desktop UI translates them (errors.<code>).
const (
	CodeUnreachable    = "unreachable"     // no connection, DNS failure, timeout, refused
	CodeBadCredentials = "bad_credentials" // wrong user name or password
	CodeSessionExpired = "session_expired" // the login is no longer valid: log in again
	CodeBadResponse    = "bad_response"    // the server answered something that is not the Ecert API
	CodeRateLimited    = "rate_limited"
	CodeServerError    = "server_error" // the server failed (5xx)
	CodeNotFound       = "not_found"
	CodeForbidden      = "forbidden"
	CodeBadRequest     = "bad_request"
	CodeInvalidServer  = "invalid_server" // the server address is not a valid http(s) URL
)

// Error is a failed call. Code says what happened in a way a UI can explain; Err keeps
// the cause for logs.
type Error struct {
	Code   string
	Status int // HTTP status, 0 when there was no answer
	Err    error
	// Reason is the server's own error code when it gave one (e.g. too_large).
	Reason string
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

// Temporary reports whether retrying later may succeed without the user doing anything.
func Temporary(err error) bool {
	switch Code(err) {
	case CodeUnreachable, CodeServerError, CodeRateLimited, CodeBadResponse:
		return true
	}
	return false
}
