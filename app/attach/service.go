package attach

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/coded"
	"github.com/ecert-desktop/ecert-desktop/app/crash"
	"github.com/ecert-desktop/ecert-desktop/app/evidence"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Platform is what the service asks of the desktop: dialogs, the file manager, events.
type Platform interface {
	Emit(event string, data any)
	OpenPath(path string) error
	OpenFilesDialog(title string) ([]string, error)
}

// Config is what the app gives the service.
type Config struct {
	Context context.Context     // of the bound calls; cancelled when the app closes
	Store   func() *store.Store // the replica, once the app opened it
	// Files is the content store of files, where attached files are copied.
	Files    func() (*evidence.Store, error)
	Now      func() time.Time
	Log      *slog.Logger
	Platform Platform
	// Crash keeps the crash reports (nil until the app opened): the inbox goroutine is
	// guarded by it.
	Crash func() *crash.Keeper
	// Kick asks the running sync to push now; Pause holds or releases file uploads.
	Kick  func()
	Pause func(paused bool)
	// Fail turns an error into what a bound method returns: a code the window translates.
	Fail func(error) error
	// InboxDir is the watched inbox folder ("" for Inbox in the data folder); InboxQuiet
	// how long a file must stay unchanged before it is taken (0 for the default).
	InboxDir   string
	InboxQuiet time.Duration
}

// EventAttached carries the files the inbox attached ([]AttachResult with nc_id).
const EventAttached = "evidence:attached"

// Evidence attaches and manages evidence files ("Preuves Matérielles"): by path, from
// the system's dialog, or saved in the watched inbox folder while a session runs.
type Evidence struct {
	cfg Config

	mu    sync.Mutex
	inbox *evidence.Inbox // nil until a session starts it
}

// New returns the service.
func New(cfg Config) *Evidence { return &Evidence{cfg: cfg} }

// AddFiles attaches files by path (a drop on the window gives paths).
func (e *Evidence) AddFiles(ncID string, paths []string) ([]AttachResult, error) {
	r, err := e.Attach(e.cfg.Context, ncID, paths, SourceDrop)
	return r, e.cfg.Fail(err)
}

// AddWithDialog asks for files in the system's dialog and attaches them.
func (e *Evidence) AddWithDialog(ncID string) ([]AttachResult, error) {
	paths, err := e.cfg.Platform.OpenFilesDialog("Ecert Desktop")
	if err != nil || len(paths) == 0 {
		return []AttachResult{}, e.cfg.Fail(err)
	}
	r, err := e.Attach(e.cfg.Context, ncID, paths, SourceDialog)
	return r, e.cfg.Fail(err)
}

// Remove takes a file off its NC (until it was submitted).
func (e *Evidence) Remove(id string) error {
	return e.cfg.Fail(e.remove(e.cfg.Context, id))
}

// SetSubject changes a file's subject.
func (e *Evidence) SetSubject(id, subject string) error {
	return e.cfg.Fail(e.setSubject(e.cfg.Context, id, subject))
}

// SetReady marks the NC's evidence ready to send (✓), or unmarks it.
func (e *Evidence) SetReady(ncID string, ready bool) error {
	return e.cfg.Fail(e.setReady(e.cfg.Context, ncID, ready))
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
		return e.cfg.Fail(coded.Error(api.CodeNotLoggedIn))
	}
	dir := in.Root()
	if ncID != "" {
		if _, ok := evidence.ParseFolder(ncID); !ok {
			return e.cfg.Fail(coded.Error(api.CodeInvalidInput))
		}
		dir = filepath.Join(dir, ncID)
	}
	return e.cfg.Fail(e.cfg.Platform.OpenPath(dir))
}

// Preferences returns the evidence preferences (downscaling, pause).
func (e *Evidence) Preferences() Preferences { return e.preferences(e.cfg.Context) }

// SetPreferences saves them.
func (e *Evidence) SetPreferences(p Preferences) error {
	return e.cfg.Fail(e.setPreferences(e.cfg.Context, p))
}

func (e *Evidence) inboxNow() *evidence.Inbox {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.inbox
}

// StartInbox watches the evidence inbox while a session runs: a file saved in an NC's
// sub-folder is attached to that NC as a draft, and the user is told.
func (e *Evidence) StartInbox(ctx context.Context) {
	root := filepath.Join(e.cfg.Store().Dir(), "Inbox")
	if dir := e.cfg.InboxDir; dir != "" {
		root = dir
	}
	in, err := evidence.NewInbox(root, evidence.InboxOptions{Logger: e.cfg.Log, Quiet: e.cfg.InboxQuiet})
	if err != nil {
		e.cfg.Log.Error("evidence inbox", "error", err)
		return
	}
	e.mu.Lock()
	e.inbox = in
	e.mu.Unlock()
	e.RefreshInbox(ctx)
	go func() {
		defer e.cfg.Crash().Guard()
		err := in.Serve(ctx, func(ncID, path string) {
			res, err := e.Attach(ctx, ncID, []string{path}, SourceInbox)
			if err != nil {
				var refused interface{ ErrorCode() string }
				if !errors.As(err, &refused) {
					e.cfg.Log.Error("attach from the inbox", "error", err)
				}
				return
			}
			e.cfg.Platform.Emit(EventAttached, map[string]any{"nc_id": ncID, "files": res})
		})
		if err != nil && !errors.Is(err, context.Canceled) {
			e.cfg.Log.Error("evidence inbox", "error", err)
		}
	}()
}

// RefreshInbox keeps one sub-folder per NC awaiting evidence.
func (e *Evidence) RefreshInbox(ctx context.Context) {
	in := e.inboxNow()
	if in == nil {
		return
	}
	ncs, err := e.cfg.Store().Portal.NCs(ctx, Stages...)
	if err != nil {
		e.cfg.Log.Error("inbox folders", "error", err)
		return
	}
	ids := make([]string, len(ncs))
	for i, nc := range ncs {
		ids[i] = nc.ID
	}
	if err := in.SetNCs(ids); err != nil {
		e.cfg.Log.Error("inbox folders", "error", err)
	}
}
