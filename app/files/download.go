package files

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// A download is written to dir/partial/<sha256>, appended to across attempts and
// restarts, and moved into place only once its hash is checked: a stored file is
// always whole.

func (s *Store) partialPath(sha string) string { return filepath.Join(s.dir, partialDirName, sha) }

// Partial opens the partly downloaded content of sha for appending (creating it) and
// returns how many bytes it holds. The caller closes the file. An invalid hash gives
// fs.ErrNotExist.
func (s *Store) Partial(sha string) (*os.File, int64, error) {
	if s.PathOf(sha) == "" {
		return nil, 0, fmt.Errorf("partial download %q: %w", sha, fs.ErrNotExist)
	}
	if err := os.MkdirAll(filepath.Join(s.dir, partialDirName), 0o700); err != nil {
		return nil, 0, err
	}
	f, err := os.OpenFile(s.partialPath(sha), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}

// Finish checks a complete download of sha against its hash, makes it durable and
// renames it into place, and returns its size. Content that does not match is thrown
// away (ErrHashMismatch), so that the next attempt starts clean.
func (s *Store) Finish(sha string) (int64, error) {
	dst := s.PathOf(sha)
	if dst == "" {
		return 0, fmt.Errorf("finish download %q: %w", sha, fs.ErrNotExist)
	}
	path := s.partialPath(sha)
	// Read-write: Windows refuses to flush (Sync) a handle opened for reading only.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return 0, err
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err == nil {
		err = s.syncFile(f)
	}
	f.Close()
	if err != nil {
		return 0, fmt.Errorf("finish download: %w", err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sha {
		os.Remove(path)
		return 0, fmt.Errorf("finish download %s: %w (got %s)", sha, ErrHashMismatch, got)
	}
	if err := s.rename(path, dst); err != nil {
		return 0, fmt.Errorf("finish download: %w", err)
	}
	return n, nil
}
