package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/app/evidence"
	"github.com/ecert-desktop/ecert-desktop/app/exports"
	"github.com/ecert-desktop/ecert-desktop/app/fileserve"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// cachedFile returns the path of a cached file and its display name.
func (b *base) cachedFile(ctx context.Context, sha string) (path, name string, err error) {
	ref, err := b.store.Files.Ref(ctx, sha)
	if err != nil {
		return "", "", err
	}
	path, cached, err := b.store.Files.Path(ctx, sha)
	if err != nil {
		return "", "", err
	}
	if !cached {
		return "", "", &CodeError{Code: api.CodeNotCached}
	}
	return path, evidence.SafeName(ref.Name), nil
}

// openFile opens a cached file with the system's default program. The cache names files
// by hash, so the file is first copied under its own name (viewers choose by extension).
func (p *Portal) openFile(ctx context.Context, sha string) error {
	path, name, err := p.cachedFile(ctx, sha)
	if err != nil {
		return err
	}
	dir := filepath.Join(p.store.Dir(), "open", sha[:16])
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	dst := filepath.Join(dir, name)
	if _, err := os.Stat(dst); err != nil {
		if err := copyFile(path, dst); err != nil {
			return err
		}
	}
	return p.platform.OpenPath(dst)
}

// saveFileAs asks the user where to save a cached file and copies it there.
func (p *Portal) saveFileAs(ctx context.Context, sha string) error {
	path, name, err := p.cachedFile(ctx, sha)
	if err != nil {
		return err
	}
	dst, err := p.platform.SaveDialog(name)
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

// fileSource is the Portal as the window's file server sees it (app/fileserve).
type fileSource struct{ p *Portal }

func (s fileSource) File(ctx context.Context, sha string) (string, string, error) {
	path, name, err := s.p.cachedFile(ctx, sha)
	return path, name, s.p.notFound(err)
}

func (s fileSource) Thumbnail(ctx context.Context, sha string) (string, error) {
	path, err := s.p.thumbnailPath(ctx, sha)
	return path, s.p.notFound(err)
}

// notFound tells the file server which errors mean "no such file here".
func (p *Portal) notFound(err error) error {
	if err == nil {
		return nil
	}
	if code := userError(p.log, err).(*CodeError).Code; code == api.CodeNotFound || code == api.CodeNotCached {
		return fmt.Errorf("%w: %v", fileserve.ErrNotFound, err)
	}
	return err
}

// thumbnailPath returns the thumbnail of a cached image, made on first use.
func (p *Portal) thumbnailPath(ctx context.Context, sha string) (string, error) {
	if _, _, err := p.cachedFile(ctx, sha); err != nil {
		return "", err
	}
	files, err := p.contentStore()
	if err != nil {
		return "", err
	}
	return files.Thumbnail(strings.ToLower(sha), 160)
}
