package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	tusd "github.com/tus/tusd/v2/pkg/handler"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// The HTTP side of the upload routes: tusd's handlers behind the server's auth, with
// ownership checks and JSON errors.

// tusServe runs one of tusd's handlers (nil: only tusd's middleware, which answers
// OPTIONS) with the path below the upload base, and turns tusd's plain-text errors
// into api.Error bodies.
func (s *Server) tusServe(next http.HandlerFunc) http.HandlerFunc {
	if next == nil {
		next = func(http.ResponseWriter, *http.Request) {}
	}
	inner := s.uploads.h.Middleware(http.StripPrefix(api.Version+api.UploadsPath, next))
	return func(w http.ResponseWriter, r *http.Request) {
		// The route decides the method: no overriding it from a header.
		r.Header.Del("X-HTTP-Method-Override")
		if r.Method == http.MethodPost || r.Method == http.MethodPatch {
			if err := beforeTus(r); err != nil {
				s.writeUploadError(w, r, err)
				return
			}
			r = countBody(r)
			// Told on creation and on every PATCH (tus expiration extension).
			w.Header().Set("Upload-Expires", s.now().Add(s.uploadExpiry()).UTC().Format(http.TimeFormat))
		}
		ew := &tusErrorWriter{ResponseWriter: w}
		inner.ServeHTTP(ew, r)
		ew.finish(s, r)
	}
}

// beforeTus refuses what tusd would answer badly: a deferred length (tusd answers 501,
// which reads as a server fault; the limits need the size at creation) and a first
// chunk longer than its upload (tusd would create the upload before refusing it, and
// leave it behind).
func beforeTus(r *http.Request) error {
	h := r.Header
	switch {
	case r.Method == http.MethodPost && h.Get("Upload-Defer-Length") != "",
		r.Method == http.MethodPatch && h.Get("Upload-Length") != "":
		return uploadError(http.StatusBadRequest, api.CodeBadRequest, "Upload-Length is required on creation: deferred lengths are not supported")
	case r.Method == http.MethodPost && h.Get("Content-Type") == tusChunkType && r.ContentLength > 0:
		if n, err := strconv.ParseInt(h.Get("Upload-Length"), 10, 64); err == nil && r.ContentLength > n {
			return uploadError(http.StatusRequestEntityTooLarge, "upload_size_exceeded", "the first chunk is longer than Upload-Length")
		}
	}
	return nil
}

// tusChunkType is the Content-Type of tus' chunks.
const tusChunkType = "application/offset+octet-stream"

// countedBody counts the bytes read from a chunk sent without a length, which started
// at offset start, so that the finish hook can tell a body that went on past the end of
// its upload: tusd stops reading there and refuses the request, but finishes the upload
// with what it wrote first.
type countedBody struct {
	io.ReadCloser
	start int64
	n     atomic.Int64
}

type countedBodyKey struct{}

func (b *countedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// overran reports whether more bytes came than an upload of size had room for.
func (b *countedBody) overran(size int64) bool { return b.n.Load() > size-b.start }

// countBody wraps the body of a chunk sent without a length in a countedBody, which
// the request's context carries to the finish hook.
func countBody(r *http.Request) *http.Request {
	if r.ContentLength >= 0 || r.Body == nil || r.Body == http.NoBody {
		return r
	}
	var start int64
	if r.Method == http.MethodPatch {
		start, _ = strconv.ParseInt(r.Header.Get("Upload-Offset"), 10, 64) // tusd refuses a bad one before reading
	}
	b := &countedBody{ReadCloser: r.Body, start: start}
	r = r.WithContext(context.WithValue(r.Context(), countedBodyKey{}, b))
	r.Body = b
	return r
}

// tusOwned serves HEAD, PATCH and DELETE of one upload, only to a client of the
// organisation that created it: another organisation's upload is 404 like one that
// does not exist.
func (s *Server) tusOwned(next http.HandlerFunc) http.HandlerFunc {
	serve := s.tusServe(next)
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		if !validUploadID(id) {
			s.writeError(w, r, notFound())
			return
		}
		rec, err := s.store.Upload(r.Context(), id)
		if err == nil && rec.OrgID != callerOf(r).user.OrgID {
			err = ErrNotFound
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		var running *runningHash
		if r.Method == http.MethodPatch {
			if err := s.store.TouchUpload(r.Context(), id, s.now().UTC()); err != nil {
				s.writeError(w, r, err)
				return
			}
			if done, err := s.retryFinish(w, r, rec); done || err != nil {
				if err != nil {
					s.writeUploadError(w, r, err)
				}
				return
			}
			// Hash the bytes as tusd reads them; the finish hook uses the sum when it
			// covers the whole upload (uploads_hash.go).
			if offset, err := strconv.ParseInt(r.Header.Get("Upload-Offset"), 10, 64); err == nil {
				if running = s.uploads.hashes.take(id, offset); running != nil {
					r.Body = &hashingBody{ReadCloser: r.Body, h: running}
					r = r.WithContext(withRunningHash(r.Context(), running))
				}
			}
		}
		rw := &statusOnly{ResponseWriter: w}
		serve(rw, r)
		if running != nil {
			s.uploads.hashes.give(id, running, running.n < rec.Size)
		}
		switch {
		case r.Method == http.MethodPatch:
			// A long PATCH counts as activity from its start to its end.
			if err := s.store.TouchUpload(r.Context(), id, s.now().UTC()); err != nil {
				s.log.WarnContext(r.Context(), "touch upload", keyError, err)
			}
		case r.Method == http.MethodDelete && rw.status == http.StatusNoContent:
			if err := s.store.DeleteUpload(r.Context(), id); err != nil {
				s.log.ErrorContext(r.Context(), "delete upload record", keyError, err)
			}
		}
	}
}

// retryFinish finishes an upload whose bytes are all there but whose finishing failed
// (an internal error after the last PATCH): tusd would answer a PATCH at its end
// offset without finishing again. It reports whether it answered.
func (s *Server) retryFinish(w http.ResponseWriter, r *http.Request, rec UploadRecord) (bool, error) {
	l, err := s.uploads.locker.NewLock(rec.ID)
	if err != nil {
		return false, err
	}
	if err := l.Lock(r.Context(), func() {}); err != nil {
		return false, err
	}
	defer l.Unlock()
	up, err := s.uploads.store.GetUpload(r.Context(), rec.ID)
	if err != nil {
		return false, err
	}
	info, err := up.GetInfo(r.Context())
	if err != nil || info.Offset != info.Size {
		return false, err
	}
	if err := s.finishUpload(r.Context(), rec, ""); err != nil {
		return true, err
	}
	w.Header().Set("Tus-Resumable", "1.0.0")
	w.Header().Set("Upload-Offset", strconv.FormatInt(info.Offset, 10))
	w.WriteHeader(http.StatusNoContent)
	return true, nil
}

// writeUploadError answers an error of the upload routes: ours (uploadError) as they
// are, tusd's with a lower-case code, others as writeError does.
func (s *Server) writeUploadError(w http.ResponseWriter, r *http.Request, err error) {
	var te tusd.Error
	if !errors.As(err, &te) {
		s.writeError(w, r, err)
		return
	}
	if te.HTTPResponse.Header["Content-Type"] != "application/json" {
		s.writeError(w, r, newError(te.HTTPResponse.StatusCode, tusCode(te.ErrorCode), te.Message))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(te.HTTPResponse.StatusCode)
	if r.Method != http.MethodHead {
		w.Write([]byte(te.HTTPResponse.Body))
	}
}

// statusOnly remembers the status a handler answered.
type statusOnly struct {
	http.ResponseWriter
	status int
}

func (s *statusOnly) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusOnly) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// tusErrorWriter holds back tusd's own error answers (plain text "ERR_CODE: message")
// so that finish can send them as api.Error bodies with stable lower-case codes.
type tusErrorWriter struct {
	http.ResponseWriter
	held   bool
	status int
	body   bytes.Buffer
}

func (t *tusErrorWriter) WriteHeader(code int) {
	if code >= 400 && strings.HasPrefix(t.Header().Get("Content-Type"), "text/plain") {
		t.held, t.status = true, code
		return
	}
	t.ResponseWriter.WriteHeader(code)
}

func (t *tusErrorWriter) Write(p []byte) (int, error) {
	if t.held {
		return t.body.Write(p)
	}
	return t.ResponseWriter.Write(p)
}

func (t *tusErrorWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// tusCodes maps tusd's error codes to the API's where they mean the same.
var tusCodes = map[string]string{
	"ERR_UPLOAD_NOT_FOUND":  api.CodeNotFound,
	"ERR_MAX_SIZE_EXCEEDED": api.CodeTooLarge,
}

// tusCode is the API's code of a tusd error code.
func tusCode(code string) string {
	if c, ok := tusCodes[code]; ok {
		return c
	}
	return strings.ToLower(strings.TrimPrefix(code, "ERR_"))
}

func (t *tusErrorWriter) finish(s *Server, r *http.Request) {
	if !t.held {
		return
	}
	code, msg, _ := strings.Cut(strings.TrimSpace(t.body.String()), ": ")
	code = tusCode(code)
	if t.status == http.StatusInternalServerError {
		// tusd's message may carry internal details (paths): log it, do not send it.
		s.log.ErrorContext(r.Context(), "upload failed", keyMethod, r.Method, keyPath, r.URL.Path, keyError, t.body.String())
		code, msg = api.CodeInternal, "internal error"
	}
	if code == "" {
		code = api.CodeBadRequest
	}
	h := t.ResponseWriter.Header()
	h.Del("Content-Length")
	if r.Method == http.MethodHead {
		h.Del("Content-Type")
		t.ResponseWriter.WriteHeader(t.status)
		return
	}
	writeJSON(t.ResponseWriter, r, t.status, api.Error{Code: code, Message: msg})
}
