package files

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Store is the content-addressed store in one folder: the bytes with SHA-256 abcdef…
// (lowercase hex, api.ValidSHA256) live in dir/ab/abcdef… and never change once renamed
// into place. Temporary files live in dir/tmp/, partial downloads in dir/partial/;
// files derived from stored ones (thumbnails) may live in other sub-folders. A Store
// is safe for concurrent use, and so are several Stores on one folder.
type Store struct {
	dir string

	// syncFile and syncDir are seams: tests may count or fail them.
	syncFile func(*os.File) error
	syncDir  func(dir string) error
}

const (
	tmpDirName     = "tmp"
	partialDirName = "partial"
)

// ErrHashMismatch means downloaded content does not have the hash it was asked by.
var ErrHashMismatch = errors.New("content does not match its hash")

// StaleTemp is the age after which RemoveStaleTemps deletes a temporary file left by a
// crash. A package variable so that tests can shrink it.
var StaleTemp = time.Hour

// New returns the store of dir. It touches no disk: folders are made when first written.
func New(dir string) *Store {
	return &Store{dir: dir, syncFile: (*os.File).Sync, syncDir: syncDir}
}

// Dir is the store's folder.
func (s *Store) Dir() string { return s.dir }

// RemoveStaleTemps deletes the temporary files that a crash left behind (older than
// StaleTemp, so that a write under way in another process is not touched).
func (s *Store) RemoveStaleTemps() {
	tmp := filepath.Join(s.dir, tmpDirName)
	entries, _ := os.ReadDir(tmp)
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > StaleTemp {
			os.Remove(filepath.Join(tmp, e.Name()))
		}
	}
}

// PathOf returns where the content of sha is kept, whether or not it is; "" for a
// string that is not a SHA-256.
func (s *Store) PathOf(sha string) string {
	if !api.ValidSHA256(sha) {
		return ""
	}
	return filepath.Join(s.dir, sha[:2], sha)
}

// Path returns where the content of sha is kept. ok is false for an invalid hash or
// content the store does not hold.
func (s *Store) Path(sha string) (path string, ok bool) {
	p := s.PathOf(sha)
	if p == "" {
		return "", false
	}
	fi, err := os.Stat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return "", false
	}
	return p, true
}

// Write runs fill on a new temporary file while hashing what it writes, then makes the
// file durable and renames it to its hash. If content with that hash is already stored,
// the temporary file is dropped. On any error nothing is left behind.
func (s *Store) Write(fill func(io.Writer) error) (sha string, size int64, err error) {
	var h = sha256.New()
	var n int64
	tmp, err := s.fillTemp(func(w io.Writer) error {
		cw := &countWriter{w: io.MultiWriter(w, h)}
		err := fill(cw)
		n = cw.n
		return err
	})
	if err != nil {
		return "", 0, err
	}
	sha = hex.EncodeToString(h.Sum(nil))
	if err := s.place(tmp, sha, n); err != nil {
		os.Remove(tmp)
		return "", 0, err
	}
	return sha, n, nil
}

// WriteFile writes dst, a file of the store's folder that is not named by its hash (a
// thumbnail), in the same safe way as Write. dst is replaced whole or not at all.
func (s *Store) WriteFile(dst string, fill func(io.Writer) error) error {
	tmp, err := s.fillTemp(fill)
	if err != nil {
		return err
	}
	if err := s.rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// Remove deletes stored content. The caller guarantees that nothing refers to it any
// more. Removing absent content is not an error.
func (s *Store) Remove(sha string) error {
	p := s.PathOf(sha)
	if p == "" {
		return fmt.Errorf("remove: invalid hash %q", sha)
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove: %w", err)
	}
	return nil
}

// fillTemp writes a durable temporary file with fill and returns its path; on error
// nothing is left behind.
func (s *Store) fillTemp(fill func(io.Writer) error) (path string, err error) {
	dir := filepath.Join(s.dir, tmpDirName)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(dir, "write-*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = fill(tmp); err != nil {
		return "", err
	}
	if err = s.syncFile(tmp); err != nil {
		return "", err
	}
	if err = tmp.Close(); err != nil {
		return "", err
	}
	return tmp.Name(), nil
}

// place renames the durable file tmp to the path of sha, or drops tmp when an intact
// copy (same size) is already there.
func (s *Store) place(tmp, sha string, size int64) error {
	dst := s.PathOf(sha)
	if fi, err := os.Stat(dst); err == nil && fi.Mode().IsRegular() && fi.Size() == size {
		return os.Remove(tmp)
	}
	return s.rename(tmp, dst)
}

// rename moves the durable file tmp to dst and makes the rename durable.
func (s *Store) rename(tmp, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		return err
	}
	return s.syncDir(filepath.Dir(dst))
}

// syncDir makes a rename in dir durable. Windows cannot sync a directory (NTFS journals
// the rename with the file's metadata), so it is skipped there.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
