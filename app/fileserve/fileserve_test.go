package fileserve_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/fileserve"
)

// folder is a Source over files named by their "hash" in a folder.
type folder struct{ dir string }

func (f folder) File(_ context.Context, sha string) (string, string, error) {
	if sha == "broken" {
		return "", "", errors.New("disk trouble")
	}
	p := filepath.Join(f.dir, sha)
	if _, err := os.Stat(p); err != nil {
		return "", "", fileserve.ErrNotFound
	}
	return p, "Certificat 2026 – coop.pdf", nil
}

func (f folder) Thumbnail(ctx context.Context, sha string) (string, error) {
	p, _, err := f.File(ctx, sha)
	return p, err
}

func TestMiddleware(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "abc"), []byte("%PDF-1.4 the certificate"), 0o600)
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("the UI")) })
	h := fileserve.Middleware(folder{dir}, next)
	get := func(path, rng string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		if rng != "" {
			r.Header.Set("Range", rng)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	cases := []struct {
		path, rng string
		status    int
		body      string
	}{
		// what the window asks for by hash
		{"/files/abc", "", 200, "%PDF-1.4 the certificate"},
		{"/thumbs/abc", "", 200, "%PDF-1.4 the certificate"},
		{"/files/abc", "bytes=9-11", 206, "the"},
		// no such file, or trouble reading it
		{"/files/nothing", "", 404, ""},
		{"/files/broken", "", 500, ""},
		// everything else is the UI's
		{"/index.html", "", 200, "the UI"},
	}
	for _, c := range cases {
		w := get(c.path, c.rng)
		if w.Code != c.status || (c.body != "" && w.Body.String() != c.body) {
			t.Errorf("GET %s %s: %d %q, want %d %q", c.path, c.rng, w.Code, w.Body.String(), c.status, c.body)
		}
	}
	w := get("/files/abc", "")
	if cd := w.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "inline;") || !strings.Contains(cd, "Certificat") {
		t.Errorf("Content-Disposition %q: want inline with the file's name", cd)
	}
	if w.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff")
	}
}
