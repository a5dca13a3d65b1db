package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// limitsID is the one id of the api.EntityLimits entity.
const limitsID = "upload"

// MaxFileNameBytes caps the name of an evidence file (the extension is kept).
const MaxFileNameBytes = 200

// limitsOf applies the defaults to the evidence limits of a configuration.
func limitsOf(cfg Config) api.Limits {
	l := api.Limits{ID: limitsID, MaxFileBytes: cfg.MaxFileBytes, QuotaBytes: cfg.QuotaBytes,
		UploadExpiry: int64(cfg.UploadExpiry / time.Second)}
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = DefaultMaxFileBytes
	}
	switch {
	case l.QuotaBytes == 0:
		l.QuotaBytes = DefaultQuotaBytes
	case l.QuotaBytes < 0:
		l.QuotaBytes = 0 // none, as api.Limits says it
	}
	if cfg.UploadExpiry <= 0 {
		l.UploadExpiry = int64(DefaultUploadExpiry / time.Second)
	}
	types := cfg.FileTypes
	if types == nil {
		types = DefaultFileTypes
	}
	for _, t := range types {
		t = strings.ToLower(strings.TrimSpace(t))
		if t != "" && !strings.HasPrefix(t, ".") {
			t = "." + t
		}
		if t != "" && !slices.Contains(l.Types, t) {
			l.Types = append(l.Types, t)
		}
	}
	return l
}

func (s *Server) uploadExpiry() time.Duration {
	return time.Duration(s.limits.UploadExpiry) * time.Second
}

// limitsWrite is the change-log write of an organisation's limits.
func (s *Server) limitsWrite(used int64) EntityWrite {
	l := s.limits
	l.UsedBytes = used
	return write(api.EntityLimits, limitsID, "", l)
}

// refreshLimits rewrites the limits entity of the organisations whose stored limits
// differ from the configuration (or that have none), so a change of configuration
// reaches clients by pull, and an unchanged one costs them nothing.
func (s *Server) refreshLimits(ctx context.Context) error {
	orgs, err := s.store.Orgs(ctx)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if err := s.refreshOrgLimits(ctx, o.ID); err != nil {
			return err
		}
	}
	return nil
}

// refreshOrgLimits writes an organisation's limits entity when it is missing or
// differs from what it should be.
func (s *Server) refreshOrgLimits(ctx context.Context, orgID string) error {
	used, err := s.store.UsedBytes(ctx, orgID)
	if err != nil {
		return err
	}
	w := s.limitsWrite(used)
	want, _ := w.Encode(0)
	rec, err := s.store.Entity(ctx, orgID, api.EntityLimits, limitsID)
	if err == nil && bytes.Equal(rec.Data, want) {
		return nil
	}
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if err := s.store.Write(ctx, orgID, []EntityWrite{w}); err != nil {
		return fmt.Errorf("write limits of %s: %w", orgID, err)
	}
	return nil
}

// Limits returns the evidence limits of an organisation as its clients receive them.
func (s *Server) Limits(ctx context.Context, orgID string) (api.Limits, error) {
	used, err := s.store.UsedBytes(ctx, orgID)
	l := s.limits
	l.UsedBytes = used
	return l, err
}

// fileRefused checks a file against the limits; it returns the refusal code
// (api.CodeTooLarge, api.CodeTypeRefused) and an English message, or "".
func (s *Server) fileRefused(name string, size int64) (code, msg string) {
	if size > s.limits.MaxFileBytes {
		return api.CodeTooLarge, fmt.Sprintf("the file has %d bytes; at most %d are accepted", size, s.limits.MaxFileBytes)
	}
	if ext := strings.ToLower(path.Ext(name)); ext == "" || !slices.Contains(s.limits.Types, ext) {
		return api.CodeTypeRefused, fmt.Sprintf("files named %q are not accepted; accepted: %s", ext, strings.Join(s.limits.Types, " "))
	}
	return "", ""
}

// SanitizeFileName makes a client's file name safe to store and show: the last
// element of a path, without control or bidirectional-override characters, without
// "..", without leading or trailing dots and spaces, at most MaxFileNameBytes long
// (keeping the extension). Accents and spaces stay. It returns "" when nothing is left.
func SanitizeFileName(name string) string {
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "_")
	}
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), r == '\u200e', r == '\u200f',
			r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069', r == '\ufeff':
			return -1
		case r == ':' || r == '*' || r == '?' || r == '"' || r == '<' || r == '>' || r == '|':
			return '_' // refused by Windows file systems, where clients save files
		}
		return r
	}, name)
	for strings.Contains(name, "..") {
		name = strings.ReplaceAll(name, "..", ".")
	}
	name = strings.Trim(name, " .")
	if len(name) > MaxFileNameBytes {
		ext := path.Ext(name)
		if len(ext) > 16 {
			ext = ""
		}
		name = strings.TrimRight(truncate(name[:len(name)-len(ext)], MaxFileNameBytes-len(ext)), " .") + ext
	}
	return name
}

// cleanMediaType keeps a client's media type when it is well-formed, else derives one
// from the name's extension.
func cleanMediaType(mt, name string) string {
	if mt != "" && len(mt) <= 200 {
		if t, params, err := mime.ParseMediaType(mt); err == nil && strings.Contains(t, "/") {
			return mime.FormatMediaType(t, params)
		}
	}
	if t := mime.TypeByExtension(strings.ToLower(path.Ext(name))); t != "" {
		return t
	}
	return "application/octet-stream"
}

// handleBlobsMissing answers which of the hashes the caller's organisation has not
// uploaded. Another organisation's uploads never count: presence is per organisation.
func (s *Server) handleBlobsMissing(w http.ResponseWriter, r *http.Request) {
	var req api.BlobsRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(req.SHA256) > api.MaxBlobQuery {
		s.writeError(w, r, badRequest(fmt.Sprintf("at most %d hashes per request", api.MaxBlobQuery)))
		return
	}
	for _, sum := range req.SHA256 {
		if !validSHA256(sum) {
			s.writeError(w, r, badRequest("each hash must be a SHA-256 in 64 lower-case hex digits"))
			return
		}
	}
	missing, err := s.store.MissingBlobs(r.Context(), callerOf(r).user.OrgID, req.SHA256)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, api.BlobsResponse{Missing: missing})
}

// janitor expires unfinished uploads until ctx ends.
func (s *Server) janitor(ctx context.Context) {
	defer close(s.janitorDone)
	every := min(max(s.uploadExpiry()/10, time.Minute), time.Hour)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := s.ExpireUploads(ctx); err != nil && ctx.Err() == nil {
				s.log.ErrorContext(ctx, "expire uploads", keyError, err)
			} else if n > 0 {
				s.log.InfoContext(ctx, "expired uploads", keyCount, n)
			}
		}
	}
}

// keyCount is the log attribute of a number of things done.
const keyCount = "count"

// ExpireUploads deletes the unfinished uploads untouched for Config.UploadExpiry (by
// the server's clock, Config.Now) and their bytes, and returns how many it deleted. The
// janitor runs it periodically; it is safe to call at any time.
func (s *Server) ExpireUploads(ctx context.Context) (int, error) {
	stale, err := s.store.StaleUploads(ctx, s.now().Add(-s.uploadExpiry()))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, u := range stale {
		if err := s.uploads.discard(ctx, u.ID, true); err != nil {
			return n, fmt.Errorf("expire upload %s: %w", u.ID, err)
		}
		n++
	}
	return n, nil
}
