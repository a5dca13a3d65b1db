package files_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/files"
)

func hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func write(t *testing.T, s *files.Store, data []byte) string {
	t.Helper()
	sha, n, err := s.Write(func(w io.Writer) error { _, err := w.Write(data); return err })
	if err != nil || n != int64(len(data)) {
		t.Fatalf("Write: %v (%d bytes)", err, n)
	}
	return sha
}

func TestWriteIsDurableAndStoresEqualBytesOnce(t *testing.T) {
	s := files.New(t.TempDir())
	fsyncs, dirSyncs := files.CountSyncs(s)
	data := []byte("preuve matérielle")
	sha := write(t, s, data)
	if sha != hashOf(data) {
		t.Fatalf("Write named the file %s, want its hash %s", sha, hashOf(data))
	}
	if *fsyncs != 1 || *dirSyncs != 1 {
		t.Errorf("first write: %d file syncs, %d folder syncs, want 1 and 1", *fsyncs, *dirSyncs)
	}
	got, err := os.ReadFile(filepath.Join(s.Dir(), sha[:2], sha))
	if err != nil || string(got) != string(data) {
		t.Fatalf("stored bytes: %q, %v", got, err)
	}
	write(t, s, data)
	if left, _ := os.ReadDir(filepath.Join(s.Dir(), "tmp")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if p, ok := s.Path(sha); !ok || p != filepath.Join(s.Dir(), sha[:2], sha) {
		t.Errorf("Path(%s) = %q, %v", sha, p, ok)
	}
	if err := s.Remove(sha); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Path(sha); ok {
		t.Error("removed content is still there")
	}
}

func TestNamesAreCheckedSHA256s(t *testing.T) {
	s := files.New(t.TempDir())
	for _, bad := range []string{"", "../etc/passwd", "ABCDEF" + hashOf(nil)[6:], hashOf(nil)[:63]} {
		if p := s.PathOf(bad); p != "" {
			t.Errorf("PathOf(%q) = %q, want \"\"", bad, p)
		}
		if _, _, err := s.Partial(bad); err == nil {
			t.Errorf("Partial(%q) opened a file", bad)
		}
	}
}

func TestDownloadIsPlacedOnlyWhole(t *testing.T) {
	s := files.New(t.TempDir())
	_, dirSyncs := files.CountSyncs(s)
	data := []byte("certificat FLOCERT, en deux morceaux")
	sha := hashOf(data)
	for _, part := range [][]byte{data[:10], data[10:]} {
		f, have, err := s.Partial(sha)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(part); err != nil {
			t.Fatal(err)
		}
		f.Close()
		if _, ok := s.Path(sha); ok {
			t.Fatalf("a partial download (%d bytes) is visible as stored", have)
		}
	}
	n, err := s.Finish(sha)
	if err != nil || n != int64(len(data)) {
		t.Fatalf("Finish: %d bytes, %v", n, err)
	}
	if _, ok := s.Path(sha); !ok || *dirSyncs != 1 {
		t.Errorf("finished download: stored %v, %d folder syncs", ok, *dirSyncs)
	}

	// Wrong bytes are thrown away, so that the next attempt starts clean.
	other := hashOf([]byte("autre chose"))
	f, _, err := s.Partial(other)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("pas ça"))
	f.Close()
	if _, err := s.Finish(other); !errors.Is(err, files.ErrHashMismatch) {
		t.Fatalf("wrong content: got %v, want ErrHashMismatch", err)
	}
	if _, have, _ := s.Partial(other); have != 0 {
		t.Errorf("the wrong bytes were kept: %d", have)
	}
}

func TestWriteFileReplacesWhole(t *testing.T) {
	s := files.New(t.TempDir())
	dst := filepath.Join(s.Dir(), "thumbs", "x.jpg")
	fail := errors.New("encoder failed")
	if err := s.WriteFile(dst, func(w io.Writer) error { w.Write([]byte("half")); return fail }); !errors.Is(err, fail) {
		t.Fatalf("got %v, want the fill's error", err)
	}
	if _, err := os.Stat(dst); err == nil {
		t.Fatal("a failed write left a file")
	}
	if err := s.WriteFile(dst, func(w io.Writer) error { _, err := w.Write([]byte("whole")); return err }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dst); string(got) != "whole" {
		t.Errorf("got %q", got)
	}
}
