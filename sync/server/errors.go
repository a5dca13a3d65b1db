package server

import (
	"errors"
	"net/http"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// ErrNotFound is returned by the store when a row does not exist (or is not visible to
// the caller); handlers turn it into 404 not_found.
var ErrNotFound = errors.New("not found")

// ErrTokenReused is returned by Store.SpendRefreshToken for a refresh token that was
// spent before.
var ErrTokenReused = errors.New("refresh token reused")

// httpError is an error that knows its wire form: a stable code and an HTTP status.
type httpError struct {
	status  int
	code    string
	message string
}

func (e *httpError) Error() string { return e.code + ": " + e.message }

func newError(status int, code, message string) *httpError {
	return &httpError{status: status, code: code, message: message}
}

func badRequest(msg string) *httpError {
	return newError(http.StatusBadRequest, api.CodeBadRequest, msg)
}

func notFound() *httpError { return newError(http.StatusNotFound, api.CodeNotFound, "no such item") }

func forbidden() *httpError {
	return newError(http.StatusForbidden, api.CodeForbidden, "this role may not use this route")
}

func unauthorized(msg string) *httpError {
	return newError(http.StatusUnauthorized, api.CodeUnauthorized, msg)
}

// writeError answers with the api.Error body of err. Errors without a wire form are
// logged and answered as 500 internal, so internal details never reach the client.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var he *httpError
	if !errors.As(err, &he) {
		if errors.Is(err, ErrNotFound) {
			he = notFound()
		} else {
			s.log.ErrorContext(r.Context(), "request failed", keyMethod, r.Method, keyPath, r.URL.Path, keyError, err)
			he = newError(http.StatusInternalServerError, api.CodeInternal, "internal error")
		}
	}
	writeJSON(w, r, he.status, api.Error{Code: he.code, Message: he.message})
}
