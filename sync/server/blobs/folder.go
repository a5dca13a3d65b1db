package blobs

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

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

var _ Store = (*Folder)(nil)

// Folder stores each file once under dir/ab/abcdef… where abcdef… is its SHA-256.
type Folder struct {
	dir string
}

// NewFolder opens (creating it if needed) the blob folder dir.
func NewFolder(dir string) (*Folder, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("create blob folder: %w", err)
	}
	return &Folder{dir: dir}, nil
}

func (b *Folder) path(sum string) string { return filepath.Join(b.dir, sum[:2], sum) }

// Put writes r to a temporary file while hashing it, fsyncs it and renames it into
// place, so a blob under its final name is always complete.
func (b *Folder) Put(ctx context.Context, r io.Reader) (string, int64, error) {
	tmp, err := os.CreateTemp(filepath.Join(b.dir, "tmp"), "put-*")
	if err != nil {
		return "", 0, fmt.Errorf("store blob: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), r)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, fmt.Errorf("store blob: %w", err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	final := b.path(sum)
	if _, err := os.Stat(final); err == nil {
		return sum, n, nil
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return "", 0, fmt.Errorf("store blob: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return "", 0, fmt.Errorf("store blob: %w", err)
	}
	if d, err := os.Open(filepath.Dir(final)); err == nil {
		d.Sync() // make the rename durable; best effort where folders cannot be synced
		d.Close()
	}
	return sum, n, nil
}

// Adopt makes the file at path, whose SHA-256 the caller checked to be sum, the blob of
// sum without copying it: the file is fsynced and hard-linked into place, so it stays
// under its own name too until its owner removes it. It fails when path is on another
// file system or the system has no hard links; the caller then copies with Put.
// Idempotent.
func (b *Folder) Adopt(ctx context.Context, path, sum string) error {
	if !api.ValidSHA256(sum) {
		return fmt.Errorf("adopt blob: hash %q", sum)
	}
	final := b.path(sum)
	if _, err := os.Stat(final); err == nil {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("adopt blob: %w", err)
	}
	err = f.Sync()
	if err == nil {
		err = f.Chmod(0o600) // as Put's files
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.MkdirAll(filepath.Dir(final), 0o750)
	}
	if err == nil {
		if err = os.Link(path, final); errors.Is(err, fs.ErrExist) {
			err = nil
		}
	}
	if err != nil {
		return fmt.Errorf("adopt blob: %w", err)
	}
	if d, err := os.Open(filepath.Dir(final)); err == nil {
		d.Sync() // make the link durable; best effort where folders cannot be synced
		d.Close()
	}
	return nil
}

// Open returns the bytes of a stored hash, or ErrNotFound.
func (b *Folder) Open(ctx context.Context, sum string) (io.ReadSeekCloser, error) {
	if !api.ValidSHA256(sum) {
		return nil, ErrNotFound
	}
	f, err := os.Open(b.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("open blob: %w", err)
	}
	return f, nil
}
