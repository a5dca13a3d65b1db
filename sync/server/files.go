package server

import (
	"fmt"
	"net/http"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/httpjson"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
)

// handleFile serves file bytes by hash, but only when an entity of the caller's
// organisation refers to that hash: knowing a hash is not enough to read a file.
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) {
	sum := r.PathValue("sha256")
	if !api.ValidSHA256(sum) {
		s.writeError(w, r, problem.BadRequest("a file is named by its SHA-256 in lowercase hex"))
		return
	}
	ref, err := s.store.FileRef(r.Context(), auth.CallerOf(r.Context()).User.OrgID, sum)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f, err := s.blobs.Open(r.Context(), sum)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", ref.MediaType)
	h.Set("ETag", `"`+sum+`"`)
	// Private: the answer depends on the caller's token. Immutable: a hash never
	// names other bytes.
	h.Set("Cache-Control", "private, max-age=31536000, immutable")
	// ServeContent handles Range, If-Range and If-None-Match against the ETag.
	http.ServeContent(w, r, ref.Name, time.Time{}, f)
}

// handleBlobsMissing answers which of the hashes the caller's organisation has not
// uploaded. Another organisation's uploads never count: presence is per organisation.
func (s *Server) handleBlobsMissing(w http.ResponseWriter, r *http.Request) {
	var req api.BlobsRequest
	if err := httpjson.Decode(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(req.SHA256) > api.MaxBlobQuery {
		s.writeError(w, r, problem.BadRequest(fmt.Sprintf("at most %d hashes per request", api.MaxBlobQuery)))
		return
	}
	for _, sum := range req.SHA256 {
		if !api.ValidSHA256(sum) {
			s.writeError(w, r, problem.BadRequest("each hash must be a SHA-256 in 64 lower-case hex digits"))
			return
		}
	}
	missing, err := s.store.MissingBlobs(r.Context(), auth.CallerOf(r.Context()).User.OrgID, req.SHA256)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	httpjson.Write(w, r, http.StatusOK, api.BlobsResponse{Missing: missing})
}
