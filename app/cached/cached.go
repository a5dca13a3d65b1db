// Package cached hands the replica's cached files (certificates, documents, evidence) to
// the user: opened with the system's program, saved elsewhere, and served to the window
// (package fileserve), with small thumbnails of images.
package cached

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/app/evidence"
	"github.com/ecert-desktop/ecert-desktop/app/exports"
	"github.com/ecert-desktop/ecert-desktop/app/fileserve"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Platform is what opening and saving ask of the desktop.
type Platform interface {
	OpenPath(path string) error
	SaveDialog(defaultName string) (string, error)
}

// Files finds cached files by hash. It is also the window's fileserve.Source.
type Files struct {
	Store    func() *store.Store             // the replica, once the app opened it
	Content  func() (*evidence.Store, error) // the content store, for thumbnails
	Platform Platform
}

// ErrNotCached: the file is known but its content is not on this computer (yet).
var ErrNotCached error = notCached{}

type notCached struct{}

func (notCached) Error() string     { return api.CodeNotCached }
func (notCached) ErrorCode() string { return api.CodeNotCached }

// Path returns the path of a cached file and its display name.
func (f Files) Path(ctx context.Context, sha string) (path, name string, err error) {
	st := f.Store()
	ref, err := st.Files.Ref(ctx, sha)
	if err != nil {
		return "", "", err
	}
	path, cached, err := st.Files.Path(ctx, sha)
	if err != nil {
		return "", "", err
	}
	if !cached {
		return "", "", ErrNotCached
	}
	return path, evidence.SafeName(ref.Name), nil
}

// Open opens a cached file with the system's default program. The cache names files by
// hash, so the file is first copied under its own name (viewers choose by extension).
func (f Files) Open(ctx context.Context, sha string) error {
	path, name, err := f.Path(ctx, sha)
	if err != nil {
		return err
	}
	dir := filepath.Join(f.Store().Dir(), "open", sha[:16])
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	dst := filepath.Join(dir, name)
	if _, err := os.Stat(dst); err != nil {
		if err := copyFile(path, dst); err != nil {
			return err
		}
	}
	return f.Platform.OpenPath(dst)
}

// SaveAs asks the user where to save a cached file and copies it there.
func (f Files) SaveAs(ctx context.Context, sha string) error {
	path, name, err := f.Path(ctx, sha)
	if err != nil {
		return err
	}
	dst, err := f.Platform.SaveDialog(name)
	if err != nil || dst == "" {
		return err
	}
	return copyFile(path, dst)
}

// copyFile copies src to dst through a temporary file in dst's folder, so that dst is
// never left half-written.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return exports.WriteFile(dst, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}

// File is Path for the file server.
func (f Files) File(ctx context.Context, sha string) (string, string, error) {
	path, name, err := f.Path(ctx, sha)
	return path, name, notFound(err)
}

// Thumbnail returns the thumbnail of a cached image, made on first use.
func (f Files) Thumbnail(ctx context.Context, sha string) (string, error) {
	if _, _, err := f.Path(ctx, sha); err != nil {
		return "", notFound(err)
	}
	files, err := f.Content()
	if err != nil {
		return "", err
	}
	return files.Thumbnail(strings.ToLower(sha), 160)
}

// notFound tells the file server which errors mean "no such file here".
func notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, ErrNotCached) {
		return fmt.Errorf("%w: %v", fileserve.ErrNotFound, err)
	}
	return err
}
