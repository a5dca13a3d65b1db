package server_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/release"
	"github.com/ecert-desktop/ecert-desktop/sync/release/releasetest"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
)

// The release every test server publishes (helpers_test.go).
const (
	testRelease     = "1.3.0"
	testReleaseFile = "ecert-desktop-1.3.0.exe"
)

func get(t *testing.T, e *env, path string, headers ...string) resp {
	t.Helper()
	return e.do("GET", path, "", nil, headers...)
}

func TestReleaseManifestAndFiles(t *testing.T) {
	e := newEnv(t)
	r := get(t, e, "/release/manifest")
	if r.status != 200 {
		t.Fatalf("manifest: got %d %s", r.status, r.body)
	}
	m, err := release.Parse(r.body)
	if err != nil {
		t.Fatal(err)
	}
	if err := release.Verify(m, releasetest.TestOnlyPublicKey()); err != nil || m.Version != testRelease {
		t.Fatalf("served manifest: version %s, verify %v", m.Version, err)
	}

	// The whole file, then a range of it (a resumed download).
	whole := get(t, e, "/release/files/"+testReleaseFile)
	if whole.status != 200 || string(whole.body) != "a windows build" {
		t.Fatalf("file: got %d %q", whole.status, whole.body)
	}
	part := get(t, e, "/release/files/"+testReleaseFile, "Range", "bytes=2-")
	if part.status != http.StatusPartialContent || string(part.body) != "windows build" {
		t.Errorf("range 2-: got %d %q, want 206 %q", part.status, part.body, "windows build")
	}
	// If-Range with another release's ETag: the whole new file, not a mix of two.
	mixed := get(t, e, "/release/files/"+testReleaseFile, "Range", "bytes=2-", "If-Range", `"`+strings.Repeat("0", 64)+`"`)
	if mixed.status != 200 || string(mixed.body) != "a windows build" {
		t.Errorf("range with a stale If-Range: got %d %q, want 200 and the whole file", mixed.status, mixed.body)
	}
}

// Only the files the manifest lists are served: not another file of the folder, not the
// manifest under its file name, nothing outside it.
func TestReleaseFilesArePathSafe(t *testing.T) {
	dir := t.TempDir()
	releasetest.Publish(t, dir, "2.0.0", releasetest.TestOnlyPrivateKey(),
		releasetest.Entry{Platform: "windows-amd64", Name: "app.exe", Data: []byte("exe")})
	os.WriteFile(filepath.Join(dir, "secret.key"), []byte("do not serve"), 0o600)
	os.Symlink("/etc/passwd", filepath.Join(dir, "passwd"))
	e := newEnvWith(t, func(c *server.Config) { c.ReleaseDir = dir })
	for _, name := range []string{"secret.key", "passwd", release.ManifestFile, "..%2fsecret.key",
		"%2e%2e%2f%2e%2e%2fetc%2fpasswd", "app.exe%00", "APP.EXE"} {
		r := get(t, e, "/release/files/"+name)
		if r.status != 404 || !strings.Contains(string(r.body), api.CodeNotFound) {
			t.Errorf("%s: got %d %s, want 404 not_found", name, r.status, r.body)
		}
	}
	if r := get(t, e, "/release/files/../../etc/passwd"); r.status != 400 {
		t.Errorf("dot-dot segments: got %d %s, want 400", r.status, r.body)
	}
}

// No release folder, no manifest, or a malformed one: 404 not_found on both routes, and
// a file never served without a manifest listing it.
func TestReleaseNotPublished(t *testing.T) {
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, release.ManifestFile), []byte(`{"version":"1.0.0","files":[{"platform":"windows-amd64","name":"../x","size":1,"sha256":"`+strings.Repeat("a", 64)+`"}]}`), 0o644)
	empty := t.TempDir()
	os.WriteFile(filepath.Join(empty, testReleaseFile), []byte("stray"), 0o644)
	for name, dir := range map[string]string{"no release folder": "", "an empty folder": empty, "a malformed manifest": bad} {
		e := newEnvWith(t, func(c *server.Config) { c.ReleaseDir = dir })
		for _, path := range []string{"/release/manifest", "/release/files/" + testReleaseFile, "/release/files/x"} {
			r := get(t, e, path)
			if r.status != 404 || !strings.Contains(string(r.body), api.CodeNotFound) {
				t.Errorf("%s, %s: got %d %s, want 404 not_found", name, path, r.status, r.body)
			}
		}
	}
}
