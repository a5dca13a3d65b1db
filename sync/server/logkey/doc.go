// Package logkey holds the attribute keys of the server's logs (log/slog), so that
// every package logs an error, a path or a user under the same key.
package logkey
