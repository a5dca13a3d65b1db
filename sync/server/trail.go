package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/httpjson"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// Pages of GET /trail.
const (
	trailPageDefault = 1000
	trailPageMax     = 5000
)

// maxTrailText limits the author, kind and NC id of a trail entry.
const maxTrailText = 200

// decodeTrail reads a push's trail entries. What no client can have written (a bad
// seq, a hash that is not one, text that is not UTF-8 or too long) refuses the whole
// request before anything is applied, as a bad entry seq does; whether the entries
// continue the chain is the store's to say (pushTrail).
func decodeTrail(raws []json.RawMessage) ([]api.TrailEntry, error) {
	out := make([]api.TrailEntry, len(raws))
	for i, raw := range raws {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&out[i]); err != nil {
			return nil, problem.BadRequest(fmt.Sprintf("trail entry %d: %v", i, err))
		}
		e := out[i]
		switch {
		case !httpjson.ValidText(raw):
			return nil, problem.BadRequest(fmt.Sprintf("trail entry %d: invalid UTF-8", i))
		case e.Seq < 1 || i > 0 && e.Seq <= out[i-1].Seq:
			return nil, problem.BadRequest("trail seq must be positive and strictly increasing within a request")
		case !api.IsTrailHash(e.Digest) || !api.IsTrailHash(e.Prev) || !api.IsTrailHash(e.Hash):
			return nil, problem.BadRequest(fmt.Sprintf("trail entry %d: digest, prev and hash are 64 lowercase hex digits", i))
		case len(e.Author) > maxTrailText || len(e.Kind) > maxTrailText || len(e.NCID) > maxTrailText || e.Kind == "":
			return nil, problem.BadRequest(fmt.Sprintf("trail entry %d: author, kind and nc_id are at most %d bytes, kind not empty", i, maxTrailText))
		}
	}
	return out, nil
}

// pushTrail appends a push's trail to the caller's organisation's chain (store.Trail)
// and says how it went. A broken link refuses the whole trail of the request, never
// the entries: the answer names the first refused entry.
func (s *Server) pushTrail(ctx context.Context, orgID, clientID string, entries []api.TrailEntry) (*api.TrailAck, error) {
	last, err := s.store.AppendTrail(ctx, orgID, clientID, entries, s.now())
	var broken *store.TrailBrokenError
	if errors.As(err, &broken) {
		held, herr := s.store.AppendTrail(ctx, orgID, clientID, nil, s.now())
		if herr != nil {
			return nil, fmt.Errorf("push trail: %w", herr)
		}
		s.log.Warn("trail refused", "seq", broken.Seq, "reason", broken.Reason)
		return &api.TrailAck{Last: held, Code: api.CodeTrailBroken, Seq: broken.Seq}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("push trail: %w", err)
	}
	return &api.TrailAck{Last: last}, nil
}

// handleTrail serves the caller's organisation's chain after ?after= (an org_seq, 0 or
// absent from the start), at most ?limit= records. Only the caller's organisation's.
func (s *Server) handleTrail(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var after int64
	if v := q.Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			s.writeError(w, r, problem.BadRequest("after must be an org_seq returned by this server"))
			return
		}
		after = n
	}
	limit := trailPageDefault
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > trailPageMax {
			s.writeError(w, r, problem.BadRequest("limit must be between 1 and "+strconv.Itoa(trailPageMax)))
			return
		}
		limit = n
	}
	u := auth.CallerOf(r.Context()).User
	recs, err := s.store.TrailRecords(r.Context(), u.OrgID, after, limit+1)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page := api.TrailPage{Records: recs}
	if len(recs) > limit {
		page.Records, page.More = recs[:limit], true
	}
	httpjson.Write(w, r, http.StatusOK, page)
}
