package attach

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ecert-desktop/ecert-desktop/app/coded"
	"github.com/ecert-desktop/ecert-desktop/app/evidence"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/app/store/health"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Sources of an attached file.
const (
	SourceDialog = "dialog"
	SourceDrop   = "drop"
	SourceInbox  = "inbox"
	SourceCLI    = "cli"
)

// AttachResult is the outcome of attaching one file.
type AttachResult struct {
	Path string `json:"path"`
	Name string `json:"name"`
	ID   string `json:"id"`   // the evidence id, when attached
	Code string `json:"code"` // why it was refused (errors.<code>), "" when attached
	// Size is what will be sent; OriginalSize the file's own size when a smaller copy of
	// a large photo is sent instead (0 otherwise).
	Size         int64 `json:"size"`
	OriginalSize int64 `json:"original_size"`
	// The server's limits, for a file refused as too large or of a refused type, so
	// the user reads what is accepted.
	MaxBytes int64    `json:"max_bytes,omitempty"`
	Types    []string `json:"types,omitempty"`
}

// DownscaleSide is the longest side of the copy sent for a large photo.
const DownscaleSide = 2048

// Stages are the NC stages that take evidence from the client.
var Stages = []string{api.StageEvidenceRequested, api.StageEvidenceReturned}

// Awaiting reports whether the client can attach evidence to nc now.
func Awaiting(nc *api.NC) bool { return slices.Contains(Stages, nc.Stage) }

// Attach copies files into the content store and attaches them to an NC as draft
// evidence; each is checked against the server's limits (known offline from the last
// sync) before anything is queued. The originals are never moved or changed.
func (e *Evidence) Attach(ctx context.Context, ncID string, paths []string, source string) ([]AttachResult, error) {
	nc, err := e.cfg.Store().Portal.NC(ctx, ncID)
	if err != nil {
		return nil, err
	}
	if !Awaiting(nc) {
		return nil, coded.Error(api.CodeNotAwaitingEvidence)
	}
	if err := e.refuseIfSent(ctx, ncID); err != nil {
		return nil, err
	}
	files, err := e.cfg.Files()
	if err != nil {
		return nil, err
	}
	limits, err := e.cfg.Store().Evidence.Limits(ctx)
	if err != nil {
		return nil, err
	}
	prefs := e.preferences(ctx)
	out := make([]AttachResult, 0, len(paths))
	for _, p := range paths {
		r := AttachResult{Path: p, Name: evidence.SafeName(filepath.Base(p))}
		r.ID, r.Size, r.OriginalSize, r.Code, err = e.attachOne(ctx, files, limits, prefs, nc.ID, p, source)
		if err != nil {
			return out, err
		}
		if limits != nil && (r.Code == api.CodeTooLarge || r.Code == api.CodeTypeRefused) {
			r.MaxBytes, r.Types = limits.MaxFileBytes, limits.Types
		}
		out = append(out, r)
	}
	e.cfg.Kick()
	return out, nil
}

// attachOne attaches one file; a refusal is a code, an error is a failure of the app.
func (e *Evidence) attachOne(ctx context.Context, files *evidence.Store, limits *api.Limits, prefs Preferences, ncID, path, source string) (id string, size, original int64, code string, err error) {
	st, statErr := os.Stat(path)
	if statErr != nil || !st.Mode().IsRegular() {
		return "", 0, 0, api.CodeUnreadable, nil
	}
	name := evidence.SafeName(filepath.Base(path))
	if limits != nil && len(limits.Types) > 0 && !slices.Contains(limits.Types, strings.ToLower(filepath.Ext(name))) {
		return "", 0, 0, api.CodeTypeRefused, nil
	}
	imp, err := files.Import(ctx, path)
	if err != nil {
		if ctx.Err() != nil {
			return "", 0, 0, "", ctx.Err()
		}
		if health.DiskFull(err) { // not the file's fault: say so, not "unreadable"
			return "", 0, 0, api.CodeDiskFull, nil
		}
		e.cfg.Log.Warn("import evidence", "error", err)
		return "", 0, 0, api.CodeUnreadable, nil
	}
	imp.Name = name
	ev := store.LocalEvidence{NCID: ncID, File: api.FileRef{SHA256: imp.SHA256, Name: imp.Name, Size: imp.Size,
		MediaType: imp.MediaType}, Source: source}
	if prefs.Downscale && imp.Size > prefs.DownscaleAboveBytes && (imp.MediaType == "image/jpeg" || imp.MediaType == "image/png") {
		small, err := files.Downscale(ctx, imp.SHA256, DownscaleSide)
		switch {
		case err == nil && small.SHA256 != imp.SHA256:
			ev.OriginalSHA256, ev.OriginalSize = imp.SHA256, imp.Size
			ev.File = api.FileRef{SHA256: small.SHA256, Name: name, Size: small.Size, MediaType: small.MediaType}
		case err != nil && !errors.Is(err, evidence.ErrNotImage):
			e.cfg.Log.Warn("downscale", "error", err)
		}
	}
	if limits != nil && limits.MaxFileBytes > 0 && ev.File.Size > limits.MaxFileBytes {
		return "", 0, 0, api.CodeTooLarge, nil
	}
	saved, err := e.cfg.Store().Evidence.Attach(ctx, ev, e.cfg.Now())
	if health.DiskFull(err) {
		return "", 0, 0, api.CodeDiskFull, nil
	}
	if err != nil {
		return "", 0, 0, "", err
	}
	return saved.ID, saved.File.Size, saved.OriginalSize, "", nil
}

// remove takes a file off its NC (until it was submitted).
func (e *Evidence) remove(ctx context.Context, id string) error {
	err := e.cfg.Store().Evidence.Remove(ctx, id, e.cfg.Now())
	if errors.Is(err, store.ErrEvidenceSubmitted) {
		return coded.Error(api.CodeEvidenceSubmitted)
	}
	e.cfg.Kick()
	return err
}

// setSubject changes a file's subject ("Sujet").
func (e *Evidence) setSubject(ctx context.Context, id, subject string) error {
	if len(subject) > api.MaxTextBytes {
		return coded.Error(api.CodeTextTooLong)
	}
	if !utf8.ValidString(subject) {
		return coded.Error(api.CodeInvalidInput)
	}
	err := e.cfg.Store().Evidence.SetSubject(ctx, id, subject, e.cfg.Now())
	if errors.Is(err, store.ErrEvidenceSubmitted) {
		return coded.Error(api.CodeEvidenceSubmitted)
	}
	e.cfg.Kick()
	return err
}

// setReady marks the NC's evidence ready to send (✓), or unmarks it.
func (e *Evidence) setReady(ctx context.Context, ncID string, ready bool) error {
	nc, err := e.cfg.Store().Portal.NC(ctx, ncID)
	if err != nil {
		return err
	}
	if !Awaiting(nc) {
		return coded.Error(api.CodeNotAwaitingEvidence)
	}
	if ready {
		if err := e.refuseIfSent(ctx, ncID); err != nil {
			return err
		}
	}
	return e.cfg.Store().Evidence.SetReady(ctx, ncID, ready, nc.Revision, e.cfg.Now())
}

// refuseIfSent refuses to change an NC's evidence whose submission waits in the outbox:
// the server takes nothing more once it has the submission.
func (e *Evidence) refuseIfSent(ctx context.Context, ncID string) error {
	pending, err := e.cfg.Store().Evidence.SubmissionPending(ctx, ncID)
	if err != nil {
		return err
	}
	if pending {
		return coded.Error(api.CodeEvidenceSent)
	}
	return nil
}
