package server

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/release"
	"github.com/ecert-desktop/ecert-desktop/sync/server/logkey"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
)

// The published release (Config.ReleaseDir). The server does not verify the manifest's
// signature (the app does, with the key built into it); it serves only a manifest whose
// fields are well formed, and only the files that manifest lists, so no other file of
// the folder, and nothing outside it, can be reached.

var errNoRelease = problem.New(api.CodeNotFound, "no release is published on this server")

// currentRelease reads the folder's manifest: its bytes as published and its fields.
func (s *Server) currentRelease() ([]byte, release.Manifest, error) {
	if s.releaseDir == "" {
		return nil, release.Manifest{}, errNoRelease
	}
	raw, err := readSmall(filepath.Join(s.releaseDir, release.ManifestFile), release.MaxManifestBytes)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			s.log.Error("read the release manifest", logkey.Error, err)
		}
		return nil, release.Manifest{}, errNoRelease
	}
	m, err := release.Parse(raw)
	if err != nil {
		s.log.Error("the release manifest is malformed: not served", logkey.Error, err)
		return nil, release.Manifest{}, errNoRelease
	}
	return raw, m, nil
}

// readSmall reads a file of at most limit bytes.
func readSmall(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() || st.Size() > limit {
		return nil, errors.New("not a regular file of at most the limit's size")
	}
	b := make([]byte, st.Size())
	if _, err := f.ReadAt(b, 0); err != nil && st.Size() > 0 {
		return nil, err
	}
	return b, nil
}

// handleReleaseManifest serves the manifest as published (its signature covers it).
func (s *Server) handleReleaseManifest(w http.ResponseWriter, r *http.Request) {
	raw, _, err := s.currentRelease()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-cache") // a new release must be seen at the next check
	w.Write(raw)
}

// handleReleaseFile serves one file the manifest lists, with Range support so that an
// interrupted download resumes.
func (s *Server) handleReleaseFile(w http.ResponseWriter, r *http.Request) {
	_, m, err := s.currentRelease()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// Only a name the manifest lists (and Validate made a plain file name) is opened.
	entry, ok := m.Named(r.PathValue("name"))
	if !ok {
		s.writeError(w, r, problem.New(api.CodeNotFound, "no such file in the published release"))
		return
	}
	f, err := os.Open(filepath.Join(s.releaseDir, entry.Name))
	if err != nil {
		s.log.Error("open a release file", logkey.Error, err)
		s.writeError(w, r, problem.New(api.CodeNotFound, "no such file in the published release"))
		return
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		s.writeError(w, r, problem.New(api.CodeNotFound, "no such file in the published release"))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("ETag", `"`+entry.SHA256+`"`)
	h.Set("Cache-Control", "public, max-age=300")
	// ServeContent answers Range and If-Range against the ETag: a resumed download
	// gets the rest of the same file, or the whole new one if it changed.
	http.ServeContent(w, r, entry.Name, time.Time{}, f)
}
