package server

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"

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
			// Told on creation and on every PATCH (tus expiration extension).
			w.Header().Set("Upload-Expires", s.now().Add(s.uploadExpiry()).UTC().Format(http.TimeFormat))
		}
		ew := &tusErrorWriter{ResponseWriter: w}
		inner.ServeHTTP(ew, r)
		ew.finish(s, r)
	}
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
		}
		rw := &statusOnly{ResponseWriter: w}
		serve(rw, r)
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
	if err := s.finishUpload(r.Context(), rec); err != nil {
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
	"ERR_MAX_SIZE_EXCEEDED": api.ReasonTooLarge,
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
