// Package client is the HTTP client of the Ecert API (resty): login and token refresh,
// the change feed, and file downloads. Every failure is an *Error with a stable code.
package client
