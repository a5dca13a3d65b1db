package server

import (
	"net/http"
	"strconv"

	"github.com/ecert-desktop/ecert-desktop/sync/server/directory"
	"github.com/ecert-desktop/ecert-desktop/sync/server/httpjson"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
)

// handleDirectory serves the operators changed after ?after= (a seq a page returned, 0
// or absent for the whole directory). Only public facts are in it: the same for every
// caller.
func (s *Server) handleDirectory(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var after int64
	if v := q.Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			s.writeError(w, r, problem.BadRequest("after must be a seq returned by this server"))
			return
		}
		after = n
	}
	limit := directory.DefaultPageLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > directory.MaxPageLimit {
			s.writeError(w, r, problem.BadRequest("limit must be between 1 and "+strconv.Itoa(directory.MaxPageLimit)))
			return
		}
		limit = n
	}
	page, err := s.dir.Page(r.Context(), after, limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	httpjson.Write(w, r, http.StatusOK, page)
}

// handleOperator serves one operator's current facts: the fresh status a client checks
// when online.
func (s *Server) handleOperator(w http.ResponseWriter, r *http.Request) {
	op, err := s.dir.Operator(r.Context(), r.PathValue("flo_id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	httpjson.Write(w, r, http.StatusOK, op)
}
