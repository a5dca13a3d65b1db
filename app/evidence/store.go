package evidence

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ecert-desktop/ecert-desktop/app/files"
)

// Store is the evidence side of the data folder's content store (app/files): it
// imports files (hashing while copying, sniffing the type), and makes downscaled copies
// and thumbnails; every write goes through the one files.Store. The bytes of a file
// with SHA-256 abcdef… live in dir/ab/abcdef…, thumbnails in dir/thumbs/. A Store is
// safe for concurrent use.
type Store struct {
	files *files.Store
}

const (
	thumbDirName = "thumbs"
	// copyBufSize is the read size of Import: large enough for few syscalls, small enough
	// that a cancelled context is noticed quickly.
	copyBufSize = 256 << 10
)

// NewStore opens (creating it if needed) the store in dir and clears temporary files
// that a crash left behind.
func NewStore(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("new store: empty directory")
	}
	for _, d := range []string{dir, filepath.Join(dir, thumbDirName)} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("new store: %w", err)
		}
	}
	f := files.New(dir)
	f.RemoveStaleTemps()
	return &Store{files: f}, nil
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
	sha, size, err := s.files.Write(func(w io.Writer) error {
		return copyCtx(ctx, io.MultiWriter(w, head), src)
	})
	if err != nil {
		return Imported{}, fmt.Errorf("import: %w", err)
	}
	return Imported{SHA256: sha, Size: size, Name: name, MediaType: MediaType(name, head.buf)}, nil
}

// Path returns where the file with the given hash is stored. ok is false for an
// invalid hash or one the store does not hold.
func (s *Store) Path(sha string) (path string, ok bool) { return s.files.Path(sha) }

// Remove deletes a stored file and its thumbnails. The caller guarantees that no
// evidence refers to it any more. Removing an absent file is not an error.
func (s *Store) Remove(sha string) error {
	if err := s.files.Remove(sha); err != nil {
		return err
	}
	thumbs, _ := filepath.Glob(filepath.Join(s.files.Dir(), thumbDirName, sha+"-*.jpg"))
	for _, t := range thumbs {
		os.Remove(t)
	}
	return nil
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
