package server

import (
	"encoding/json"
	"net/http"
	"sort"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/httpjson"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// handleEntity serves GET /<entities>/{id} from the caller's organisation. Another
// organisation's id, like an NC the analyst has not confirmed, is simply not found.
func (s *Server) handleEntity(w http.ResponseWriter, r *http.Request, entity string) {
	rec, err := s.store.Entity(r.Context(), auth.CallerOf(r.Context()).User.OrgID, entity, r.PathValue("id"))
	if err == nil && !rec.Visible {
		err = store.ErrNotFound
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	httpjson.Write(w, r, http.StatusOK, rec.Data)
}

// handleMessages serves the Communication thread of one NC, oldest first.
func (s *Server) handleMessages(w http.ResponseWriter, r *http.Request) {
	org, ncID := auth.CallerOf(r.Context()).User.OrgID, r.PathValue("id")
	nc, err := s.store.Entity(r.Context(), org, api.EntityNC, ncID)
	if err == nil && !nc.Visible {
		err = store.ErrNotFound
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
	httpjson.Write(w, r, http.StatusOK, msgs)
}
