package fileserve

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"os"
	"strings"
)

// URL paths under which the window reads files and thumbnails.
const (
	FilesPrefix  = "/files/"
	ThumbsPrefix = "/thumbs/"
)

// ErrNotFound is what a Source returns for a hash it has no file for (unknown, or not
// downloaded yet): the answer is 404. Any other error is a 500.
var ErrNotFound = errors.New("no such file here")

// Source finds the files to serve.
type Source interface {
	// File returns the path of a cached file and the name to show it under.
	File(ctx context.Context, sha string) (path, name string, err error)
	// Thumbnail returns the path of a small JPEG of a cached image, made on first use.
	Thumbnail(ctx context.Context, sha string) (path string, err error)
}

// Middleware serves src's files under FilesPrefix and ThumbsPrefix and passes every
// other request to next. (Wails runs a middleware in dev mode too, unlike a Handler.)
func Middleware(src Source, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var path, name string
		var err error
		if sha, ok := strings.CutPrefix(r.URL.Path, ThumbsPrefix); ok {
			path, err = src.Thumbnail(r.Context(), sha)
			name = "thumbnail.jpg"
		} else if sha, ok := strings.CutPrefix(r.URL.Path, FilesPrefix); ok {
			path, name, err = src.File(r.Context(), sha)
		} else {
			next.ServeHTTP(w, r)
			return
		}
		if err != nil {
			status := http.StatusInternalServerError
			if errors.Is(err, ErrNotFound) {
				status = http.StatusNotFound
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
