package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/httpjson"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
)

// MaxPushBodyBytes caps the body of POST /push: api.MaxPushEntries entries of
// api.MaxTextBytes each, with room for JSON escaping. A package variable so that
// tests may shrink it.
var MaxPushBodyBytes int64 = 8 << 20

var clientIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

// pushRequest is api.PushRequest with its entries kept raw, so each entry's bytes can
// be checked for invalid UTF-8, which encoding/json would silently replace.
type pushRequest struct {
	ClientID string            `json:"client_id"`
	Entries  []json.RawMessage `json:"entries"`
	Trail    []json.RawMessage `json:"trail"`
}

// handlePush applies a client's outbox entries in order, each in its own transaction
// with the client's last sequence and the entry's result (see api.PushRequest). A
// failure between entries leaves the committed ones committed; the client's retry gets
// their stored results back.
func (s *Server) handlePush(w http.ResponseWriter, r *http.Request) {
	var req pushRequest
	if err := httpjson.DecodeLimit(w, r, &req, MaxPushBodyBytes); err != nil {
		s.writeError(w, r, err)
		return
	}
	if !clientIDPattern.MatchString(req.ClientID) {
		s.writeError(w, r, problem.BadRequest("client_id must be 16 to 64 characters of A-Z, a-z, 0-9, _ and -"))
		return
	}
	if len(req.Entries) > api.MaxPushEntries || len(req.Trail) > api.MaxTrailEntries {
		s.writeError(w, r, problem.BadRequest(fmt.Sprintf("at most %d entries and %d trail entries per push", api.MaxPushEntries, api.MaxTrailEntries)))
		return
	}
	entries := make([]api.PushEntry, len(req.Entries))
	wellFormed := make([]bool, len(req.Entries))
	for i, raw := range req.Entries {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&entries[i]); err != nil {
			s.writeError(w, r, problem.BadRequest(fmt.Sprintf("entry %d: %v", i, err)))
			return
		}
		if entries[i].Seq < 1 || i > 0 && entries[i].Seq <= entries[i-1].Seq {
			s.writeError(w, r, problem.BadRequest("seq must be positive and strictly increasing within a request"))
			return
		}
		// Like a bad seq, a negative number is a client's bug that no retry mends; an
		// entry ignoring the field (evidence.add and base_revision) would apply anyway.
		if e := entries[i]; e.BaseRevision < 0 || e.File != nil && e.File.Size < 0 {
			s.writeError(w, r, problem.BadRequest("base_revision and file.size cannot be negative"))
			return
		}
		wellFormed[i] = httpjson.ValidText(raw)
	}
	trail, err := decodeTrail(req.Trail)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	u := auth.CallerOf(r.Context()).User
	resp := api.PushResponse{Results: make([]api.PushResult, 0, len(entries))}
	for i, e := range entries {
		res, err := s.wf.Push(r.Context(), u, req.ClientID, e, wellFormed[i])
		if err != nil {
			s.writeError(w, r, fmt.Errorf("push entry %d: %w", e.Seq, err))
			return
		}
		resp.Results = append(resp.Results, res)
	}
	if len(trail) > 0 {
		ack, err := s.pushTrail(r.Context(), u.OrgID, req.ClientID, trail)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		resp.Trail = ack
	}
	httpjson.Write(w, r, http.StatusOK, resp)
}
