package server

import (
	"encoding/json"
	"net/http"
	"sort"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// entityReader serves GET /<entities>/{id} from the caller's organisation. Another
// organisation's id, like an NC the analyst has not confirmed, is simply not found.
func (s *Server) entityReader(entity string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rec, err := s.store.Entity(r.Context(), callerOf(r).user.OrgID, entity, r.PathValue("id"))
		if err == nil && !rec.Visible {
			err = ErrNotFound
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, r, http.StatusOK, rec.Data)
	}
}

// handleMessages serves the Communication thread of one NC, oldest first.
func (s *Server) handleMessages(w http.ResponseWriter, r *http.Request) {
	org, ncID := callerOf(r).user.OrgID, r.PathValue("id")
	nc, err := s.store.Entity(r.Context(), org, api.EntityNC, ncID)
	if err == nil && !nc.Visible {
		err = ErrNotFound
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	recs, err := s.store.Children(r.Context(), org, api.EntityMessage, ncID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	msgs := make([]api.Message, 0, len(recs))
	for _, rec := range recs {
		var m api.Message
		if err := json.Unmarshal(rec.Data, &m); err != nil {
			s.writeError(w, r, err)
			return
		}
		msgs = append(msgs, m)
	}
	sort.SliceStable(msgs, func(i, j int) bool { return msgs[i].SentAt.Before(msgs[j].SentAt) })
	writeJSON(w, r, http.StatusOK, msgs)
}
