// Package console is the analyst console: server-rendered pages under /console/ where
// analysts evaluate NCs and auditors enter them. Sessions are cookies backed by the
// store's console sessions; every POST carries the session's CSRF token.
package console
