package app

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/app/evidence"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// FilesPrefix is the URL path under which the UI reads cached files: /files/<sha256>.
const FilesPrefix = "/files/"

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
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".ecert-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, in)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("copy %s: %w", filepath.Base(dst), err)
	}
	return os.Rename(tmp.Name(), dst)
}

// fileMiddleware serves cached files at /files/<sha256> and thumbnails at
// /thumbs/<sha256>, and passes every other request to next. Wails' asset server runs it
// (also in dev mode, unlike a Handler).
func (p *Portal) fileMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var path, name string
		var err error
		if sha, ok := strings.CutPrefix(r.URL.Path, thumbsPrefix); ok {
			path, err = p.thumbnailPath(r.Context(), sha)
			name = "thumbnail.jpg"
		} else if sha, ok := strings.CutPrefix(r.URL.Path, FilesPrefix); ok {
			path, name, err = p.cachedFile(r.Context(), sha)
		} else {
			next.ServeHTTP(w, r)
			return
		}
		if err != nil {
			status := http.StatusNotFound
			if code := userError(p.log, err).(*CodeError).Code; code != api.CodeNotFound && code != api.CodeNotCached {
				status = http.StatusInternalServerError
			}
			http.Error(w, http.StatusText(status), status)
			return
		}
		f, err := os.Open(path)
		if err != nil {
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": name}))
		w.Header().Set("X-Content-Type-Options", "nosniff")
		http.ServeContent(w, r, name, st.ModTime(), f)
	})
}

// thumbsPrefix serves thumbnails of image evidence: /thumbs/<sha256>.
const thumbsPrefix = "/thumbs/"

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
