package evidence

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Store is the content-addressed store of evidence files: the bytes of a file with
// SHA-256 abcdef… live in dir/ab/abcdef… (lower-case hex). Files in the store are never
// changed once renamed into place; temporary files live in dir/tmp/, thumbnails in
// dir/thumbs/. A Store is safe for concurrent use.
type Store struct {
	dir string

	// syncFile and syncDir are seams: tests may count or fail them.
	syncFile func(*os.File) error
	syncDir  func(dir string) error
}

const (
	tmpDirName   = "tmp"
	thumbDirName = "thumbs"
	// copyBufSize is the read size of Import: large enough for few syscalls, small enough
	// that a cancelled context is noticed quickly.
	copyBufSize = 256 << 10
)

// staleTemp is the age after which NewStore deletes a temporary file left by a crash.
// A package variable so that tests can shrink it.
var staleTemp = time.Hour

// NewStore opens (creating it if needed) the store in dir and clears temporary files
// that a crash left behind.
func NewStore(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("new store: empty directory")
	}
	for _, d := range []string{dir, filepath.Join(dir, tmpDirName), filepath.Join(dir, thumbDirName)} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("new store: %w", err)
		}
	}
	s := &Store{dir: dir, syncFile: (*os.File).Sync, syncDir: syncDir}
	s.clearStaleTemps()
	return s, nil
}

func (s *Store) clearStaleTemps() {
	tmp := filepath.Join(s.dir, tmpDirName)
	entries, _ := os.ReadDir(tmp)
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > staleTemp {
			os.Remove(filepath.Join(tmp, e.Name()))
		}
	}
}

// Imported describes a file stored in the Store.
type Imported struct {
	SHA256    string // lower-case hex, the file's name in the store
	Size      int64
	Name      string // safe display name (see SafeName); empty when the store made the file
	MediaType string
}

// Import copies the file at path into the store, hashing while copying (one read of
// the file), and never moves or changes the original. Equal bytes are stored once: a
// second import of the same content leaves the store as it was and returns the same
// hash. Cancelling ctx stops a long copy and removes the partial copy.
func (s *Store) Import(ctx context.Context, path string) (Imported, error) {
	src, err := os.Open(path)
	if err != nil {
		return Imported{}, fmt.Errorf("import: %w", err)
	}
	defer src.Close()
	fi, err := src.Stat()
	if err != nil {
		return Imported{}, fmt.Errorf("import: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return Imported{}, fmt.Errorf("import %s: not a regular file", SafeName(path))
	}
	name := SafeName(filepath.Base(path))
	head := &headWriter{max: 512}
	sha, size, err := s.write(func(w io.Writer) error {
		return copyCtx(ctx, io.MultiWriter(w, head), src)
	})
	if err != nil {
		return Imported{}, fmt.Errorf("import: %w", err)
	}
	return Imported{SHA256: sha, Size: size, Name: name, MediaType: MediaType(name, head.buf)}, nil
}

// write runs fill on a new temporary file of the store while hashing what it writes,
// then makes the file durable and renames it to its hash. If a file with that hash is
// already stored, the temporary file is dropped. On any error nothing is left behind.
func (s *Store) write(fill func(io.Writer) error) (sha string, size int64, err error) {
	tmp, err := os.CreateTemp(filepath.Join(s.dir, tmpDirName), "write-*")
	if err != nil {
		return "", 0, err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(tmp, h)}
	if err = fill(cw); err != nil {
		return "", 0, err
	}
	if err = s.syncFile(tmp); err != nil {
		return "", 0, err
	}
	if err = tmp.Close(); err != nil {
		return "", 0, err
	}
	sha = hex.EncodeToString(h.Sum(nil))
	if err = s.place(tmp.Name(), sha, cw.n); err != nil {
		return "", 0, err
	}
	return sha, cw.n, nil
}

// place renames the durable temporary file tmp to the store path of sha, or drops tmp
// when an intact copy (same size) is already there.
func (s *Store) place(tmp, sha string, size int64) error {
	dst := s.pathOf(sha)
	if fi, err := os.Stat(dst); err == nil && fi.Mode().IsRegular() && fi.Size() == size {
		return os.Remove(tmp)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		return err
	}
	return s.syncDir(filepath.Dir(dst))
}

// Path returns where the file with the given hash is stored. ok is false for an
// invalid hash or one the store does not hold.
func (s *Store) Path(sha string) (path string, ok bool) {
	if !validSHA(sha) {
		return "", false
	}
	p := s.pathOf(sha)
	fi, err := os.Stat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return "", false
	}
	return p, true
}

// Remove deletes a stored file and its thumbnails. The caller guarantees that no
// evidence refers to it any more. Removing an absent file is not an error.
func (s *Store) Remove(sha string) error {
	if !validSHA(sha) {
		return fmt.Errorf("remove: invalid hash %q", sha)
	}
	if err := os.Remove(s.pathOf(sha)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove: %w", err)
	}
	thumbs, _ := filepath.Glob(filepath.Join(s.dir, thumbDirName, sha+"-*.jpg"))
	for _, t := range thumbs {
		os.Remove(t)
	}
	return nil
}

func (s *Store) pathOf(sha string) string {
	return filepath.Join(s.dir, sha[:2], sha)
}

func validSHA(sha string) bool {
	if len(sha) != sha256.Size*2 {
		return false
	}
	return strings.IndexFunc(sha, func(r rune) bool {
		return !('0' <= r && r <= '9' || 'a' <= r && r <= 'f')
	}) < 0
}

// copyCtx copies src to dst, checking ctx before each read.
func copyCtx(ctx context.Context, dst io.Writer, src io.Reader) error {
	buf := make([]byte, copyBufSize)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, rerr := src.Read(buf)
		if n > 0 {
			if _, err := dst.Write(buf[:n]); err != nil {
				return err
			}
		}
		if rerr == io.EOF {
			return nil
		}
		if rerr != nil {
			return rerr
		}
	}
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

// headWriter keeps the first max bytes written to it, for content sniffing.
type headWriter struct {
	max int
	buf []byte
}

func (h *headWriter) Write(p []byte) (int, error) {
	if room := h.max - len(h.buf); room > 0 {
		h.buf = append(h.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
