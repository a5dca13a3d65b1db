package uploads

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
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/httpjson"
	"github.com/ecert-desktop/ecert-desktop/sync/server/logkey"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// The HTTP side of the upload routes: tusd's handlers behind the server's auth, with
// ownership checks and JSON errors.

// The handlers of the upload routes. Discovery (OPTIONS) is open; the server puts the
// others behind its client authentication (auth.CallerOf gives the caller).

// Discovery answers OPTIONS: tus' discovery of the server's protocol and extensions.
func (u *Uploads) Discovery() http.HandlerFunc { return u.serve(nil) }

// Create answers POST: a new upload of the caller's organisation.
func (u *Uploads) Create() http.HandlerFunc { return u.serve(u.h.PostFile) }

// Head answers HEAD of an upload of the caller's organisation: its offset.
func (u *Uploads) Head() http.HandlerFunc { return u.owned(u.h.HeadFile) }

// Patch answers PATCH of an upload of the caller's organisation: a chunk.
func (u *Uploads) Patch() http.HandlerFunc { return u.owned(u.h.PatchFile) }

// Delete answers DELETE of an upload of the caller's organisation.
func (u *Uploads) Delete() http.HandlerFunc { return u.owned(u.h.DelFile) }

// serve runs one of tusd's handlers (nil: only tusd's middleware, which answers
// OPTIONS) with the path below the upload base, and turns tusd's plain-text errors
// into api.Error bodies.
func (u *Uploads) serve(next http.HandlerFunc) http.HandlerFunc {
	if next == nil {
		next = func(http.ResponseWriter, *http.Request) {}
	}
	inner := u.h.Middleware(http.StripPrefix(api.Version+api.UploadsPath, next))
	return func(w http.ResponseWriter, r *http.Request) {
		// The route decides the method: no overriding it from a header.
		r.Header.Del("X-HTTP-Method-Override")
		if r.Method == http.MethodPost || r.Method == http.MethodPatch {
			if err := beforeTus(r); err != nil {
				u.writeError(w, r, err)
				return
			}
			r = countBody(r)
			// Told on creation and on every PATCH (tus expiration extension).
			w.Header().Set("Upload-Expires", u.now().Add(u.expiry()).UTC().Format(http.TimeFormat))
		}
		ew := &tusErrorWriter{ResponseWriter: w}
		inner.ServeHTTP(ew, r)
		ew.finish(u, r)
	}
}

// beforeTus refuses what tusd would answer badly: a deferred length (tusd answers 501,
// which reads as a server fault; the limits need the size at creation), a chunk of
// another content type (tusd answers 400, tus recommends 415) and a first
// chunk longer than its upload (tusd would create the upload before refusing it, and
// leave it behind).
func beforeTus(r *http.Request) error {
	h := r.Header
	switch {
	case r.Method == http.MethodPost && h.Get("Upload-Defer-Length") != "",
		r.Method == http.MethodPatch && h.Get("Upload-Length") != "":
		return tusError(problem.BadRequest("Upload-Length is required on creation: deferred lengths are not supported"))
	case r.Method == http.MethodPatch && h.Get("Content-Type") != tusChunkType:
		// tus answers a chunk of another type 415; tusd would answer 400.
		return tusError(problem.New(api.CodeUnsupportedMedia, "a chunk's Content-Type must be "+tusChunkType))
	case r.Method == http.MethodPost && h.Get("Content-Type") == tusChunkType && r.ContentLength > 0:
		if n, err := strconv.ParseInt(h.Get("Upload-Length"), 10, 64); err == nil && r.ContentLength > n {
			return tusError(problem.New(api.CodeTooLarge, "the first chunk is longer than Upload-Length"))
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

// owned serves HEAD, PATCH and DELETE of one upload, only to a client of the
// organisation that created it: another organisation's upload is 404 like one that
// does not exist.
func (u *Uploads) owned(next http.HandlerFunc) http.HandlerFunc {
	serve := u.serve(next)
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		if !validUploadID(id) {
			httpjson.WriteError(u.log, w, r, problem.NotFound())
			return
		}
		rec, err := u.store.Upload(r.Context(), id)
		if err == nil && rec.OrgID != auth.CallerOf(r.Context()).User.OrgID {
			err = store.ErrNotFound
		}
		if err != nil {
			httpjson.WriteError(u.log, w, r, err)
			return
		}
		var running *runningHash
		if r.Method == http.MethodHead {
			// All bytes there but the upload not finished (its node died between its
			// last byte and the finish): finish it now. Else the client, told the full
			// offset, would take the file for uploaded and push evidence of a blob the
			// server does not have.
			if done, err := u.retryFinish(w, r, rec); done || err != nil {
				if err != nil {
					u.writeError(w, r, err)
				}
				return
			}
		}
		if r.Method == http.MethodPatch {
			if err := u.store.TouchUpload(r.Context(), id, u.now().UTC()); err != nil {
				httpjson.WriteError(u.log, w, r, err)
				return
			}
			if done, err := u.retryFinish(w, r, rec); done || err != nil {
				if err != nil {
					u.writeError(w, r, err)
				}
				return
			}
			// Hash the bytes as tusd reads them; the finish hook uses the sum when it
			// covers the whole upload (hash.go).
			if offset, err := strconv.ParseInt(r.Header.Get("Upload-Offset"), 10, 64); err == nil {
				if running = u.hashes.take(id, offset); running != nil {
					r.Body = &hashingBody{ReadCloser: r.Body, h: running}
					r = r.WithContext(withRunningHash(r.Context(), running))
				}
			}
		}
		rw := &httpjson.Recorder{ResponseWriter: w}
		serve(rw, r)
		if running != nil {
			u.hashes.give(id, running, running.n < rec.Size)
		}
		switch {
		case r.Method == http.MethodPatch:
			// A long PATCH counts as activity from its start to its end.
			if err := u.store.TouchUpload(r.Context(), id, u.now().UTC()); err != nil {
				u.log.WarnContext(r.Context(), "touch upload", logkey.Error, err)
			}
		case r.Method == http.MethodDelete && rw.Status == http.StatusNoContent:
			if err := u.store.DeleteUpload(r.Context(), id); err != nil {
				u.log.ErrorContext(r.Context(), "delete upload record", logkey.Error, err)
			}
		}
	}
}

// retryFinish finishes an upload whose bytes are all there but whose finishing failed
// (an internal error after the last PATCH, or its node died then): tusd would answer a
// PATCH at its end offset, or a HEAD, without finishing again. It answers as tusd
// would have once finished (PATCH 204, HEAD 200, with the offset) and reports whether
// it answered.
func (u *Uploads) retryFinish(w http.ResponseWriter, r *http.Request, rec store.UploadRecord) (bool, error) {
	l, err := u.locker.NewLock(rec.ID)
	if err != nil {
		return false, err
	}
	if err := l.Lock(r.Context(), func() {}); err != nil {
		return false, err
	}
	defer l.Unlock()
	up, err := u.files.GetUpload(r.Context(), rec.ID)
	if err != nil {
		return false, err
	}
	info, err := up.GetInfo(r.Context())
	if err != nil || info.Offset != info.Size {
		return false, err
	}
	if err := u.finish(r.Context(), rec, ""); err != nil {
		return true, err
	}
	w.Header().Set("Tus-Resumable", "1.0.0")
	w.Header().Set("Upload-Offset", strconv.FormatInt(info.Offset, 10))
	if r.Method == http.MethodHead {
		w.Header().Set("Upload-Length", strconv.FormatInt(info.Size, 10))
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		return true, nil
	}
	w.WriteHeader(http.StatusNoContent)
	return true, nil
}

// writeError answers an error of the upload routes: ours (tusError) as they are,
// tusd's with the API's code, others as httpjson.WriteError does.
func (u *Uploads) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var te tusd.Error
	if !errors.As(err, &te) {
		httpjson.WriteError(u.log, w, r, err)
		return
	}
	if te.HTTPResponse.Header["Content-Type"] != "application/json" {
		httpjson.WriteError(u.log, w, r, problem.WithStatus(tusCode(te.ErrorCode, te.HTTPResponse.StatusCode), te.HTTPResponse.StatusCode, te.Message))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(te.HTTPResponse.StatusCode)
	if r.Method != http.MethodHead {
		w.Write([]byte(te.HTTPResponse.Body))
	}
}

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
	"ERR_UPLOAD_NOT_FOUND":     api.CodeNotFound,
	"ERR_MAX_SIZE_EXCEEDED":    api.CodeTooLarge,
	"ERR_MISMATCHED_OFFSET":    api.CodeOffsetConflict,
	"ERR_UPLOAD_SIZE_EXCEEDED": api.CodeTooLarge,
	"ERR_UPLOAD_INTERRUPTED":   api.CodeUploadInterrupted,
	"ERR_UPLOAD_LOCKED":        api.CodeUploadLocked,
}

// tusCode is the API's code of a tusd error answered with status. tusd's other
// refusals (a bad offset, content type or length, an unsupported protocol version)
// are malformed requests: bad_request, with the status tus' protocol gives them.
func tusCode(code string, status int) string {
	if c, ok := tusCodes[code]; ok {
		return c
	}
	if status >= 500 {
		return api.CodeInternal
	}
	return api.CodeBadRequest
}

func (t *tusErrorWriter) finish(u *Uploads, r *http.Request) {
	if !t.held {
		return
	}
	code, msg, _ := strings.Cut(strings.TrimSpace(t.body.String()), ": ")
	code = tusCode(code, t.status)
	if t.status == http.StatusInternalServerError {
		// tusd's message may carry internal details (paths): log it, do not send it.
		u.log.ErrorContext(r.Context(), "upload failed", logkey.Method, r.Method, logkey.Path, r.URL.Path, logkey.Error, t.body.String())
		code, msg = api.CodeInternal, "internal error"
	}
	h := t.ResponseWriter.Header()
	h.Del("Content-Length")
	if r.Method == http.MethodHead {
		h.Del("Content-Type")
		t.ResponseWriter.WriteHeader(t.status)
		return
	}
	httpjson.Write(t.ResponseWriter, r, t.status, api.Error{Code: code, Message: msg})
}
