package evidence_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/evidence"
)

func newStore(t *testing.T) (*evidence.Store, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "store")
	s, err := evidence.NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// storedFiles lists the regular files under dir, relative to it.
func storedFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestImport(t *testing.T) {
	s, dir := newStore(t)
	src := t.TempDir()
	content := bytes.Repeat([]byte("preuve matérielle\n"), 100_000) // ~1.9 MB: several reads
	orig := filepath.Join(src, "Contrôle qualité.pdf")
	writeFile(t, orig, content)
	old := time.Now().Add(-48 * time.Hour).Truncate(time.Second)
	if err := os.Chtimes(orig, old, old); err != nil {
		t.Fatal(err)
	}

	got, err := s.Import(context.Background(), orig)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	want := evidence.Imported{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(content)), Name: "Contrôle qualité.pdf", MediaType: "application/pdf"}
	if got != want {
		t.Errorf("Import = %+v, want %+v", got, want)
	}

	// The stored copy has the content, at dir/ab/abcd….
	p, ok := s.Path(got.SHA256)
	if !ok {
		t.Fatalf("Path(%s) not found", got.SHA256)
	}
	if wantPath := filepath.Join(dir, got.SHA256[:2], got.SHA256); p != wantPath {
		t.Errorf("Path = %s, want %s", p, wantPath)
	}
	if b, _ := os.ReadFile(p); !bytes.Equal(b, content) {
		t.Error("stored content differs")
	}

	// The original is untouched.
	fi, err := os.Stat(orig)
	if err != nil {
		t.Fatalf("original gone: %v", err)
	}
	if !fi.ModTime().Equal(old) {
		t.Errorf("original mtime = %v, want %v", fi.ModTime(), old)
	}
	if b, _ := os.ReadFile(orig); !bytes.Equal(b, content) {
		t.Error("original content changed")
	}

	// The same bytes under another name are stored once.
	other := filepath.Join(src, "copie.bin")
	writeFile(t, other, content)
	again, err := s.Import(context.Background(), other)
	if err != nil {
		t.Fatal(err)
	}
	if again.SHA256 != got.SHA256 || again.Name != "copie.bin" {
		t.Errorf("second import = %+v, want hash %s and name copie.bin", again, got.SHA256)
	}
	if files := storedFiles(t, dir); len(files) != 1 {
		t.Errorf("store holds %v, want one file", files)
	}
}

func TestImportEmptyAndSniffed(t *testing.T) {
	s, _ := newStore(t)
	src := t.TempDir()
	writeFile(t, filepath.Join(src, "vide"), nil)
	writeFile(t, filepath.Join(src, "scan"), []byte("%PDF-1.4\n…"))
	cases := []struct {
		name, sha, mediaType string
	}{
		{"vide", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "text/plain; charset=utf-8"},
		{"scan", "", "application/pdf"},
	}
	for _, tc := range cases {
		got, err := s.Import(context.Background(), filepath.Join(src, tc.name))
		if err != nil {
			t.Fatal(err)
		}
		if tc.sha != "" && got.SHA256 != tc.sha {
			t.Errorf("%s: SHA256 = %s, want %s", tc.name, got.SHA256, tc.sha)
		}
		if got.MediaType != tc.mediaType {
			t.Errorf("%s: MediaType = %q, want %q", tc.name, got.MediaType, tc.mediaType)
		}
	}
}

func TestImportErrors(t *testing.T) {
	s, dir := newStore(t)
	src := t.TempDir()
	if _, err := s.Import(context.Background(), filepath.Join(src, "absent.pdf")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Import(absent) err = %v, want fs.ErrNotExist", err)
	}
	if _, err := s.Import(context.Background(), src); err == nil {
		t.Error("Import(folder) succeeded")
	}

	// A cancelled import leaves nothing behind, not even a temporary file.
	writeFile(t, filepath.Join(src, "gros.bin"), bytes.Repeat([]byte{1}, 4<<20))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Import(ctx, filepath.Join(src, "gros.bin")); !errors.Is(err, context.Canceled) {
		t.Errorf("Import(cancelled) err = %v, want context.Canceled", err)
	}
	if files := storedFiles(t, dir); len(files) != 0 {
		t.Errorf("store holds %v after a cancelled import, want nothing", files)
	}
}

func TestPathAndRemove(t *testing.T) {
	s, dir := newStore(t)
	src := filepath.Join(t.TempDir(), "a.txt")
	writeFile(t, src, []byte("a"))
	im, err := s.Import(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, sha string
		ok        bool
	}{
		{"stored", im.SHA256, true},
		{"unknown", strings.Repeat("0", 64), false},
		{"upper case", strings.ToUpper(im.SHA256), false},
		{"short", im.SHA256[:10], false},
		{"traversal", "../" + im.SHA256[3:], false},
		{"empty", "", false},
	}
	for _, tc := range cases {
		if _, ok := s.Path(tc.sha); ok != tc.ok {
			t.Errorf("%s: Path ok = %v, want %v", tc.name, ok, tc.ok)
		}
	}

	if err := s.Remove(im.SHA256); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Path(im.SHA256); ok {
		t.Error("Path after Remove found the file")
	}
	if err := s.Remove(im.SHA256); err != nil {
		t.Errorf("second Remove = %v, want nil", err)
	}
	if err := s.Remove("../../x"); err == nil {
		t.Error("Remove of an invalid hash succeeded")
	}
	if files := storedFiles(t, dir); len(files) != 0 {
		t.Errorf("store holds %v, want nothing", files)
	}
}
