package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/server/httpjson"
	"github.com/ecert-desktop/ecert-desktop/sync/server/logkey"
)

// securityHeaders sets headers that make the API's answers inert in a browser.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if h.Get("Cache-Control") == "" {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// logRequests logs one line per request at debug level (errors at error level). Only the path is logged, never the query,
// headers or body, so tokens and passwords cannot end up in the log.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &httpjson.Recorder{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == http.ErrAbortHandler {
				// An answer cut on purpose (httpjson.Stream.Abort): net/http must close
				// the connection without ending the answer. The handler logged why.
				defer panic(v)
				if rec.Status == 0 {
					rec.Status = http.StatusInternalServerError
				}
			} else if v != nil {
				s.log.ErrorContext(r.Context(), "panic in handler", logkey.Method, r.Method, logkey.Path, logkey.LogPath(r.URL.Path), logkey.Error, fmt.Sprint(v))
				if rec.Status == 0 {
					s.writeError(rec, r, fmt.Errorf("panic: %v", v))
				}
			}
			// One line per request is ~300 bytes: gigabytes a day at thousands of
			// organisations. Requests are counted per route in the metrics instead, and
			// logged at debug; a failure of the server is logged as an error. A shed
			// request (503) is counted, not logged: under overload a log line each would
			// add to the load.
			level := slog.LevelDebug
			if rec.Status >= 500 && rec.Status != http.StatusServiceUnavailable {
				level = slog.LevelError
			}
			if !s.log.Enabled(r.Context(), level) {
				return
			}
			s.log.Log(r.Context(), level, "request",
				logkey.Method, r.Method, logkey.Path, logkey.LogPath(r.URL.Path), logkey.Status, rec.Status,
				logkey.Duration, time.Since(start), logkey.Bytes, rec.Bytes)
		}()
		next.ServeHTTP(rec, r)
	})
}
