package server

import (
	"net/http"
	"time"
)

// handleFile serves file bytes by hash, but only when an entity of the caller's
// organisation refers to that hash: knowing a hash is not enough to read a file.
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) {
	sum := r.PathValue("sha256")
	if !validSHA256(sum) {
		s.writeError(w, r, badRequest("a file is named by its SHA-256 in lowercase hex"))
		return
	}
	ref, err := s.store.FileRef(r.Context(), callerOf(r).user.OrgID, sum)
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
