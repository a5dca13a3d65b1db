package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

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
	pages := 1
	if v := q.Get("pages"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxChangesPages {
			s.writeError(w, r, problem.BadRequest("pages must be between 1 and "+strconv.Itoa(MaxChangesPages)))
			return
		}
		pages = n
	}
	org := auth.CallerOf(r.Context()).User.OrgID
	read := func(after int64, limit int) ([]api.Change, error) {
		return s.store.Changes(r.Context(), org, after, limit)
	}
	s.serveChangesPages(w, r, read, s.store.DirectorySeq, after, limit, pages)
}

// Several pages in one answer (pages=N): on a long round trip the link then never
// waits between pages. A page after the first is begun once what was queued of the
// one before is sent (less than pageSentBelow left), so a slow client holds about one
// page in the server's memory; and only if, taking as long as the one before, it
// would end within ChangesStreamFor of the request: an answer stays well inside the
// desktop client's 30 s timeout, and on a slow link is one page, as before.
const (
	MaxChangesPages  = 10
	ChangesStreamFor = 20 * time.Second
	pageSentBelow    = 64 << 10
)

// serveChangesPages answers up to pages pages written by writeChangesPage, one after
// the other, each from the cursor the one before leaves; more than one are a
// sequence of JSON objects, one a line (application/x-ndjson). A failure before the
// answer has started is answered as an error; after, the answer is cut.
func (s *Server) serveChangesPages(w http.ResponseWriter, r *http.Request, read func(after int64, limit int) ([]api.Change, error),
	directorySeq func(context.Context) (int64, error), after int64, limit, pages int) {
	start := time.Now()
	out := httpjson.NewStream(w, r)
	if pages > 1 {
		out.ContentType = "application/x-ndjson"
	}
	err := func() error {
		for n := 1; ; n++ {
			pageStart := time.Now()
			cursor, more, err := writeChangesPage(out, read, directorySeq, r, after, limit)
			if err != nil {
				return err
			}
			if !more || n == pages {
				return out.Close()
			}
			if err := out.WaitSent(pageSentBelow); err != nil {
				return err
			}
			// Another page if, taking as long as this one, it ends within the time.
			if time.Since(start)+time.Since(pageStart) >= ChangesStreamFor {
				return out.Close()
			}
			if _, err := out.Write([]byte{'\n'}); err != nil {
				return err
			}
			after = cursor
		}
	}()
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
// It returns the page's cursor and whether more follow; the page is written, not closed.
func writeChangesPage(out *httpjson.Stream, read func(after int64, limit int) ([]api.Change, error),
	directorySeq func(context.Context) (int64, error), r *http.Request, after int64, limit int) (int64, bool, error) {
	buf := []byte(`{"changes":[`)
	cursor, left, more, first := after, limit, false, true
	for size := firstChangesBatch; left > 0; size = min(2*size, maxChangesBatch) {
		n := min(left, size)
		// One more than asked tells whether another follows.
		batch, err := read(cursor, n+1)
		if err != nil {
			return 0, false, err
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
				return 0, false, err
			}
			buf = append(buf, b...)
		}
		if _, err := out.Write(buf); err != nil {
			return 0, false, err
		}
		if err := out.Flush(); err != nil {
			return 0, false, err
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
			return 0, false, err
		}
		if seq != 0 { // omitempty
			buf = append(buf, `,"directory":`...)
			buf = strconv.AppendInt(buf, seq, 10)
		}
	}
	buf = append(buf, '}')
	_, err := out.Write(buf)
	return cursor, more, err
}
