package server

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
)

var _ Blobs = (*diskBlobs)(nil)

// diskBlobs stores each file once under dir/ab/abcdef… where abcdef… is its SHA-256.
type diskBlobs struct {
	dir string
}

func newDiskBlobs(dir string) (*diskBlobs, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("create blob folder: %w", err)
	}
	return &diskBlobs{dir: dir}, nil
}

func (b *diskBlobs) path(sum string) string { return filepath.Join(b.dir, sum[:2], sum) }

// Put writes r to a temporary file while hashing it, fsyncs it and renames it into
// place, so a blob under its final name is always complete.
func (b *diskBlobs) Put(ctx context.Context, r io.Reader) (string, int64, error) {
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
func (b *diskBlobs) Adopt(ctx context.Context, path, sum string) error {
	if !validSHA256(sum) {
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

func (b *diskBlobs) Open(ctx context.Context, sum string) (io.ReadSeekCloser, error) {
	if !validSHA256(sum) {
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

// validSHA256 reports whether s is a SHA-256 in lowercase hex, the only form used in
// paths, so a crafted name can never reach outside the blob folder.
func validSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
