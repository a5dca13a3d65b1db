package server

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Limits of the HTTP layer. Package variables so that tests can shrink them.
var (
	// MaxBodyBytes caps every JSON request body.
	MaxBodyBytes int64 = 1 << 20
	// GzipMinBytes is the smallest JSON body worth compressing; below it gzip's header
	// costs more than it saves, and idle syncs must stay a few hundred bytes.
	GzipMinBytes = 1024
)

// Log attribute keys.
const (
	keyMethod   = "method"
	keyPath     = "path"
	keyStatus   = "status"
	keyDuration = "duration"
	keyBytes    = "bytes"
	keyError    = "error"
	keyUser     = "user"
)

// writeJSON writes v as compact JSON, gzipped when the client accepts it and the body
// is large enough to gain from it.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		body = []byte(`{"code":"internal","message":"encode response"}`)
		status = http.StatusInternalServerError
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Add("Vary", "Accept-Encoding")
	if len(body) >= GzipMinBytes && acceptsGzip(r) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		zw.Write(body)
		zw.Close()
		body = buf.Bytes()
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		// "gzip;q=0" means the client refuses gzip.
		if k, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
			if q, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && q == 0 {
				return false
			}
		}
		return true
	}
	return false
}

// decodeJSON reads exactly one JSON object into v, rejecting unknown fields, trailing
// data, bodies over MaxBodyBytes and strings that are not valid UTF-8.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	return decodeBody(w, r, v, MaxBodyBytes, true)
}

// decodeJSONLimit is decodeJSON with another body limit, leaving the strings' UTF-8 to
// the caller: push refuses a bad string in one entry, not the whole request.
func decodeJSONLimit(w http.ResponseWriter, r *http.Request, v any, limit int64) error {
	return decodeBody(w, r, v, limit, false)
}

func decodeBody(w http.ResponseWriter, r *http.Request, v any, limit int64, strictText bool) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return newError(http.StatusRequestEntityTooLarge, "bad_request", "body too large")
		}
		return badRequest("read body: the request was cut")
	}
	// Every request body is an object: null or a bare value would decode as an empty
	// request and pass for one.
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return badRequest("invalid JSON body: not a JSON object")
	}
	// encoding/json silently replaces invalid UTF-8 and lone surrogates with U+FFFD: a
	// name or token so mangled must be refused, not stored or compared as another.
	if strictText && !validJSONText(body) {
		return badRequest("invalid JSON body: strings must be valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest(fmt.Sprintf("invalid JSON body: %v", err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("invalid JSON body: trailing data")
	}
	return nil
}

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

// statusRecorder remembers what a handler answered, for the access log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(p)
	s.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// logRequests logs one line per request. Only the path is logged, never the query,
// headers or body, so tokens and passwords cannot end up in the log.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				s.log.ErrorContext(r.Context(), "panic in handler", keyMethod, r.Method, keyPath, r.URL.Path, keyError, fmt.Sprint(v))
				if rec.status == 0 {
					s.writeError(rec, r, fmt.Errorf("panic: %v", v))
				}
			}
			level := slog.LevelInfo
			if rec.status >= 500 {
				level = slog.LevelError
			}
			s.log.Log(r.Context(), level, "request",
				keyMethod, r.Method, keyPath, r.URL.Path, keyStatus, rec.status,
				keyDuration, time.Since(start), keyBytes, rec.bytes)
		}()
		next.ServeHTTP(rec, r)
	})
}
