package server

import (
	"net/http"
	"strconv"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/httpjson"
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
	// One more than asked tells whether another page follows.
	changes, err := s.store.Changes(r.Context(), auth.CallerOf(r.Context()).User.OrgID, after, limit+1)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page := api.ChangesPage{Changes: changes, Cursor: strconv.FormatInt(after, 10)}
	if len(changes) > limit {
		page.Changes, page.More = changes[:limit], true
	}
	if n := len(page.Changes); n > 0 {
		page.Cursor = strconv.FormatInt(page.Changes[n-1].Seq, 10)
	}
	if !page.More {
		if page.Directory, err = s.store.DirectorySeq(r.Context()); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	httpjson.Write(w, r, http.StatusOK, page)
}
