package app

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/evidence"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Evidence attaches and manages evidence files ("Preuves Matérielles"): by path, from
// the system's dialog, or saved in the watched inbox folder while a session runs.
type Evidence struct {
	*base
	sync       *Sync
	inboxDir   string        // see Config.InboxDir
	inboxQuiet time.Duration // see Config.InboxQuiet

	mu    sync.Mutex
	inbox *evidence.Inbox // nil until a session starts it
}

// AddFiles attaches files by path (a drop on the window gives paths).
func (e *Evidence) AddFiles(ncID string, paths []string) ([]AttachResult, error) {
	r, err := e.attach(e.ctx, ncID, paths, SourceDrop)
	return r, e.fail(err)
}

// AddWithDialog asks for files in the system's dialog and attaches them.
func (e *Evidence) AddWithDialog(ncID string) ([]AttachResult, error) {
	paths, err := e.platform.OpenFilesDialog("Ecert Desktop")
	if err != nil || len(paths) == 0 {
		return []AttachResult{}, e.fail(err)
	}
	r, err := e.attach(e.ctx, ncID, paths, SourceDialog)
	return r, e.fail(err)
}

// Remove takes a file off its NC (until it was submitted).
func (e *Evidence) Remove(id string) error {
	return e.fail(e.remove(e.ctx, id))
}

// SetSubject changes a file's subject.
func (e *Evidence) SetSubject(id, subject string) error {
	return e.fail(e.setSubject(e.ctx, id, subject))
}

// SetReady marks the NC's evidence ready to send (✓), or unmarks it.
func (e *Evidence) SetReady(ncID string, ready bool) error {
	return e.fail(e.setReady(e.ctx, ncID, ready))
}

// Inbox returns the evidence inbox folder ("" before the first sync).
func (e *Evidence) Inbox() string {
	if in := e.inboxNow(); in != nil {
		return in.Root()
	}
	return ""
}

// OpenInbox opens the inbox folder (or one NC's sub-folder) in the file manager.
func (e *Evidence) OpenInbox(ncID string) error {
	in := e.inboxNow()
	if in == nil {
		return e.fail(&CodeError{Code: api.CodeNotLoggedIn})
	}
	dir := in.Root()
	if ncID != "" {
		if _, ok := evidence.ParseFolder(ncID); !ok {
			return e.fail(&CodeError{Code: api.CodeInvalidInput})
		}
		dir = filepath.Join(dir, ncID)
	}
	return e.fail(e.platform.OpenPath(dir))
}

// Preferences returns the evidence preferences (downscaling, pause).
func (e *Evidence) Preferences() Preferences { return e.preferences(e.ctx) }

// SetPreferences saves them.
func (e *Evidence) SetPreferences(p Preferences) error {
	return e.fail(e.setPreferences(e.ctx, p))
}

func (e *Evidence) inboxNow() *evidence.Inbox {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.inbox
}

// startInbox watches the evidence inbox while a session runs: a file saved in an NC's
// sub-folder is attached to that NC as a draft, and the user is told.
func (e *Evidence) startInbox(ctx context.Context) {
	root := filepath.Join(e.store.Dir(), "Inbox")
	if dir := e.inboxDir; dir != "" {
		root = dir
	}
	in, err := evidence.NewInbox(root, evidence.InboxOptions{Logger: e.log, Quiet: e.inboxQuiet})
	if err != nil {
		e.log.Error("evidence inbox", "error", err)
		return
	}
	e.mu.Lock()
	e.inbox = in
	e.mu.Unlock()
	e.refreshInbox(ctx)
	go func() {
		defer e.crash.Guard()
		err := in.Serve(ctx, func(ncID, path string) {
			res, err := e.attach(ctx, ncID, []string{path}, SourceInbox)
			if err != nil {
				var ce *CodeError
				if !errors.As(err, &ce) {
					e.log.Error("attach from the inbox", "error", err)
				}
				return
			}
			e.platform.Emit(EventAttached, map[string]any{"nc_id": ncID, "files": res})
		})
		if err != nil && !errors.Is(err, context.Canceled) {
			e.log.Error("evidence inbox", "error", err)
		}
	}()
}

// refreshInbox keeps one sub-folder per NC awaiting evidence.
func (e *Evidence) refreshInbox(ctx context.Context) {
	in := e.inboxNow()
	if in == nil {
		return
	}
	ncs, err := e.store.Portal.NCs(ctx, stagesOf[FilterEvidence]...)
	if err != nil {
		e.log.Error("inbox folders", "error", err)
		return
	}
	ids := make([]string, len(ncs))
	for i, nc := range ncs {
		ids[i] = nc.ID
	}
	if err := in.SetNCs(ids); err != nil {
		e.log.Error("inbox folders", "error", err)
	}
}
