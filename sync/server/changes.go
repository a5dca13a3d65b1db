package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/httpjson"
	"github.com/ecert-desktop/ecert-desktop/sync/server/logkey"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
)

// Page sizes of GET /changes.
const (
	DefaultChangesLimit = 500
	MaxChangesLimit     = 10000
)

// handleChanges serves the caller's organisation's change log after a cursor. The
// cursor is the seq of the last change the client applied, as decimal text.
func (s *Server) handleChanges(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	cursor := q.Get("cursor")
	var after int64
	if cursor != "" {
		n, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || n < 0 {
			s.writeError(w, r, problem.BadRequest("cursor must be a cursor returned by this server"))
			return
		}
		after = n
	}
	limit := DefaultChangesLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxChangesLimit {
			s.writeError(w, r, problem.BadRequest("limit must be between 1 and "+strconv.Itoa(MaxChangesLimit)))
			return
		}
		limit = n
	}
	org := auth.CallerOf(r.Context()).User.OrgID
	read := func(after int64, limit int) ([]api.Change, error) {
		return s.store.Changes(r.Context(), org, after, limit)
	}
	s.serveChangesPage(w, r, read, s.store.DirectorySeq, after, limit)
}

// serveChangesPage answers a page written by writeChangesPage. A failure before the
// answer has started is answered as an error; after, the answer is cut.
func (s *Server) serveChangesPage(w http.ResponseWriter, r *http.Request, read func(after int64, limit int) ([]api.Change, error),
	directorySeq func(context.Context) (int64, error), after int64, limit int) {
	out := httpjson.NewStream(w, r)
	err := writeChangesPage(out, read, directorySeq, r, after, limit)
	if err == nil {
		return
	}
	if !out.Started() {
		s.writeError(w, r, err)
		return
	}
	if !errors.Is(err, httpjson.ErrNotSent) && r.Context().Err() == nil {
		s.log.ErrorContext(r.Context(), "changes page cut", logkey.Error, err)
	}
	out.Abort()
}

// A page is read a batch at a time, each batch sent while the next is read: the
// first is small, so the link starts carrying the page after a few milliseconds of
// work; they double up to the largest, and on a slow link the rest of the page is
// made during the transfer.
const (
	firstChangesBatch = 100
	maxChangesBatch   = 1600
)

// writeChangesPage writes the page of at most limit changes after the cursor after,
// as json.Marshal writes an api.ChangesPage, reading the change log a batch at a time.
// Batches read one after the other are what a client paging with smaller pages gets:
// the store's ordering guarantee holds between them (no change skipped, none twice).
func writeChangesPage(out *httpjson.Stream, read func(after int64, limit int) ([]api.Change, error),
	directorySeq func(context.Context) (int64, error), r *http.Request, after int64, limit int) error {
	buf := []byte(`{"changes":[`)
	cursor, left, more, first := after, limit, false, true
	for size := firstChangesBatch; left > 0; size = min(2*size, maxChangesBatch) {
		n := min(left, size)
		// One more than asked tells whether another follows.
		batch, err := read(cursor, n+1)
		if err != nil {
			return err
		}
		more = len(batch) > n
		if more {
			batch = batch[:n]
		}
		for _, c := range batch {
			if !first {
				buf = append(buf, ',')
			}
			first = false
			b, err := json.Marshal(c)
			if err != nil {
				return err
			}
			buf = append(buf, b...)
		}
		if _, err := out.Write(buf); err != nil {
			return err
		}
		if err := out.Flush(); err != nil {
			return err
		}
		buf = buf[:0]
		if len(batch) > 0 {
			cursor = batch[len(batch)-1].Seq
		}
		left -= len(batch)
		if !more {
			break
		}
	}
	buf = append(buf, `],"cursor":`...)
	buf = strconv.AppendQuote(buf, strconv.FormatInt(cursor, 10))
	buf = append(buf, `,"more":`...)
	buf = strconv.AppendBool(buf, more)
	if !more {
		// The directory's seq is read after the changes, as the page always had it.
		seq, err := directorySeq(r.Context())
		if err != nil {
			return err
		}
		if seq != 0 { // omitempty
			buf = append(buf, `,"directory":`...)
			buf = strconv.AppendInt(buf, seq, 10)
		}
	}
	buf = append(buf, '}')
	if _, err := out.Write(buf); err != nil {
		return err
	}
	return out.Close()
}
