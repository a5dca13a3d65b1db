package httpjson

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
	"unicode/utf8"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs"
	"github.com/ecert-desktop/ecert-desktop/sync/server/logkey"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// Limits of the HTTP layer. Package variables so that tests can shrink them.
var (
	// MaxBodyBytes caps every JSON request body.
	MaxBodyBytes int64 = 1 << 20
	// GzipMinBytes is the smallest JSON body worth compressing; below it gzip's header
	// costs more than it saves, and idle syncs must stay a few hundred bytes.
	GzipMinBytes = 1024
)

// Write writes v as compact JSON, gzipped when the client accepts it and the body
// is large enough to gain from it.
func Write(w http.ResponseWriter, r *http.Request, status int, v any) {
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

// Decode reads exactly one JSON object into v, rejecting unknown fields, trailing
// data, bodies over MaxBodyBytes and strings that are not valid UTF-8.
func Decode(w http.ResponseWriter, r *http.Request, v any) error {
	return decodeBody(w, r, v, MaxBodyBytes, true)
}

// DecodeLimit is Decode with another body limit, leaving the strings' UTF-8 to
// the caller: push refuses a bad string in one entry, not the whole request.
func DecodeLimit(w http.ResponseWriter, r *http.Request, v any, limit int64) error {
	return decodeBody(w, r, v, limit, false)
}

// DecodeMax is Decode with a smaller body limit (a crash report's 64 KiB).
func DecodeMax(w http.ResponseWriter, r *http.Request, v any, limit int64) error {
	return decodeBody(w, r, v, limit, true)
}

func decodeBody(w http.ResponseWriter, r *http.Request, v any, limit int64, strictText bool) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return problem.WithStatus(api.CodeBadRequest, http.StatusRequestEntityTooLarge, "body too large")
		}
		return problem.BadRequest("read body: the request was cut")
	}
	// Every request body is an object: null or a bare value would decode as an empty
	// request and pass for one.
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return problem.BadRequest("invalid JSON body: not a JSON object")
	}
	// encoding/json silently replaces invalid UTF-8 and lone surrogates with U+FFFD: a
	// name or token so mangled must be refused, not stored or compared as another.
	if strictText && !ValidText(body) {
		return problem.BadRequest("invalid JSON body: strings must be valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return problem.BadRequest(fmt.Sprintf("invalid JSON body: %v", err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return problem.BadRequest("invalid JSON body: trailing data")
	}
	return nil
}

// ValidText reports whether the strings of a JSON value are valid UTF-8: no
// invalid bytes and no unpaired surrogate escapes (\ud800 alone), both of which
// encoding/json would silently turn into U+FFFD.
func ValidText(raw []byte) bool {
	if !utf8.Valid(raw) {
		return false
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' || i+1 >= len(raw) {
			continue
		}
		if raw[i+1] != 'u' {
			i++ // skip the escaped character, e.g. \\ or \"
			continue
		}
		r, ok := hex4(raw, i+2)
		if !ok {
			return false
		}
		switch {
		case r >= 0xDC00 && r <= 0xDFFF:
			return false // a low surrogate without its high one
		case r >= 0xD800 && r <= 0xDBFF:
			if i+11 >= len(raw) || raw[i+6] != '\\' || raw[i+7] != 'u' {
				return false
			}
			lo, ok := hex4(raw, i+8)
			if !ok || lo < 0xDC00 || lo > 0xDFFF {
				return false
			}
			i += 11
		default:
			i += 5
		}
	}
	return true
}

func hex4(b []byte, at int) (rune, bool) {
	if at+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[at : at+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// WriteError answers with the api.Error body of err. Errors without a wire form are
// logged and answered as 500 internal, so internal details never reach the client.
func WriteError(log *slog.Logger, w http.ResponseWriter, r *http.Request, err error) {
	var pe *problem.Error
	if !errors.As(err, &pe) {
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, blobs.ErrNotFound) {
			pe = problem.NotFound()
		} else {
			log.ErrorContext(r.Context(), "request failed", logkey.Method, r.Method, logkey.Path, logkey.LogPath(r.URL.Path), logkey.Error, err)
			pe = problem.Internal()
		}
	}
	Write(w, r, pe.Status, api.Error{Code: pe.Code, Message: pe.Message})
}

// Recorder remembers what a handler answered: its status and how many body bytes.
type Recorder struct {
	http.ResponseWriter
	Status int
	Bytes  int64
}

func (s *Recorder) WriteHeader(code int) {
	if s.Status == 0 {
		s.Status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *Recorder) Write(p []byte) (int, error) {
	if s.Status == 0 {
		s.Status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(p)
	s.Bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *Recorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
