package app

import (
	"context"
	"errors"
	"path/filepath"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/app/evidence"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/engine"
)

// Evidence attaches and manages evidence files ("Preuves Matérielles").
type Evidence struct{ app *App }

// AddFiles attaches files by path (a drop on the window gives paths).
func (e *Evidence) AddFiles(ncID string, paths []string) ([]AttachResult, error) {
	r, err := e.app.Attach(context.Background(), ncID, paths, SourceDrop)
	return r, e.app.fail(err)
}

// AddWithDialog asks for files in the system's dialog and attaches them.
func (e *Evidence) AddWithDialog(ncID string) ([]AttachResult, error) {
	paths, err := e.app.cfg.Platform.OpenFilesDialog("Ecert Desktop")
	if err != nil || len(paths) == 0 {
		return []AttachResult{}, e.app.fail(err)
	}
	r, err := e.app.Attach(context.Background(), ncID, paths, SourceDialog)
	return r, e.app.fail(err)
}

// Remove takes a file off its NC (until it was submitted).
func (e *Evidence) Remove(id string) error {
	return e.app.fail(e.app.RemoveEvidence(context.Background(), id))
}

// SetSubject changes a file's subject.
func (e *Evidence) SetSubject(id, subject string) error {
	return e.app.fail(e.app.SetEvidenceSubject(context.Background(), id, subject))
}

// SetReady marks the NC's evidence ready to send (✓), or unmarks it.
func (e *Evidence) SetReady(ncID string, ready bool) error {
	return e.app.fail(e.app.SetEvidenceReady(context.Background(), ncID, ready))
}

// Inbox returns the evidence inbox folder ("" before the first sync).
func (e *Evidence) Inbox() string {
	if in := e.app.inboxNow(); in != nil {
		return in.Root()
	}
	return ""
}

// OpenInbox opens the inbox folder (or one NC's sub-folder) in the file manager.
func (e *Evidence) OpenInbox(ncID string) error {
	in := e.app.inboxNow()
	if in == nil {
		return &CodeError{Code: api.CodeNotLoggedIn}
	}
	dir := in.Root()
	if ncID != "" {
		if _, ok := evidence.ParseFolder(ncID); !ok {
			return &CodeError{Code: api.CodeInvalidInput}
		}
		dir = filepath.Join(dir, ncID)
	}
	return e.app.fail(e.app.cfg.Platform.OpenPath(dir))
}

// Preferences returns the evidence preferences (downscaling, pause).
func (e *Evidence) Preferences() Preferences { return e.app.Preferences(context.Background()) }

// SetPreferences saves them.
func (e *Evidence) SetPreferences(p Preferences) error {
	return e.app.fail(e.app.SetPreferences(context.Background(), p))
}

func (a *App) inboxNow() *evidence.Inbox {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.inbox
}

// startInbox watches the evidence inbox while a session runs: a file saved in an NC's
// sub-folder is attached to that NC as a draft, and the user is told.
func (a *App) startInbox(ctx context.Context) {
	root := filepath.Join(a.store.Dir(), "Inbox")
	if dir := a.cfg.InboxDir; dir != "" {
		root = dir
	}
	in, err := evidence.NewInbox(root, evidence.InboxOptions{Logger: a.log, Quiet: a.cfg.InboxQuiet})
	if err != nil {
		a.log.Error("evidence inbox", "error", err)
		return
	}
	a.mu.Lock()
	a.inbox = in
	a.mu.Unlock()
	a.refreshInbox(ctx)
	go func() {
		err := in.Serve(ctx, func(ncID, path string) {
			res, err := a.Attach(ctx, ncID, []string{path}, SourceInbox)
			if err != nil {
				var ce *CodeError
				if !errors.As(err, &ce) {
					a.log.Error("attach from the inbox", "error", err)
				}
				return
			}
			a.cfg.Platform.Emit(EventAttached, map[string]any{"nc_id": ncID, "files": res})
		})
		if err != nil && !errors.Is(err, context.Canceled) {
			a.log.Error("evidence inbox", "error", err)
		}
	}()
}

// refreshInbox keeps one sub-folder per NC awaiting evidence.
func (a *App) refreshInbox(ctx context.Context) {
	in := a.inboxNow()
	if in == nil {
		return
	}
	ncs, err := a.store.NCs(ctx, stagesOf[FilterEvidence]...)
	if err != nil {
		a.log.Error("inbox folders", "error", err)
		return
	}
	ids := make([]string, len(ncs))
	for i, nc := range ncs {
		ids[i] = nc.ID
	}
	if err := in.SetNCs(ids); err != nil {
		a.log.Error("inbox folders", "error", err)
	}
}

// progressEvent is the payload of "upload:progress".
func progressEvent(p engine.Progress) map[string]any {
	return map[string]any{"sha256": p.SHA256, "name": p.Name, "done": p.Done, "total": p.Total,
		"all_done": p.AllDone, "all_total": p.AllTotal, "files": p.Files, "completed": p.Completed}
}

// thumbsPrefix serves thumbnails of image evidence: /thumbs/<sha256>.
const thumbsPrefix = "/thumbs/"

// thumbnailPath returns the thumbnail of a cached image, made on first use.
func (a *App) thumbnailPath(ctx context.Context, sha string) (string, error) {
	if _, _, err := a.cachedFile(ctx, sha); err != nil {
		return "", err
	}
	files, err := a.files()
	if err != nil {
		return "", err
	}
	return files.Thumbnail(strings.ToLower(sha), 160)
}
