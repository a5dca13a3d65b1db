package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/attach"

	"github.com/ecert-desktop/ecert-desktop/app/audit"
	"github.com/ecert-desktop/ecert-desktop/app/calendar"
	"github.com/ecert-desktop/ecert-desktop/app/crash"
	"github.com/ecert-desktop/ecert-desktop/app/datadir"
	"github.com/ecert-desktop/ecert-desktop/app/exports"
	"github.com/ecert-desktop/ecert-desktop/app/fairmonitor"
	"github.com/ecert-desktop/ecert-desktop/app/fileserve"
	"github.com/ecert-desktop/ecert-desktop/app/library"
	"github.com/ecert-desktop/ecert-desktop/app/partners"
	"github.com/ecert-desktop/ecert-desktop/app/requests"
	"github.com/ecert-desktop/ecert-desktop/app/salvage"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/app/team"
	"github.com/ecert-desktop/ecert-desktop/sync/engine"
	"github.com/ecert-desktop/ecert-desktop/sync/engine/heartbeat"
)

// Config is what New needs. Zero values take defaults.
type Config struct {
	DataDir  string
	Logger   *slog.Logger
	Platform Platform
	Now      func() time.Time
	// Context is the context of the services' calls (default: one that Close cancels).
	// The headless commands pass theirs, so that an interrupt stops a call under way.
	Context context.Context
	// SyncInterval is the time between syncs when all is well (default 60 s).
	SyncInterval time.Duration
	// MaxBackoff caps the wait between retries while offline (default 30 s).
	MaxBackoff time.Duration
	// Heartbeat tunes the checks of the link while the sync is idle (zero: the
	// defaults of package heartbeat; tests shorten them).
	Heartbeat heartbeat.Options
	// Defaults pre-fill the login form.
	Defaults LoginDefaults
	// InboxDir is the evidence inbox folder (default: Inbox in the data directory).
	InboxDir string
	// InboxQuiet is how long a file in the inbox must stay unchanged before it is
	// attached (default 2 s).
	InboxQuiet time.Duration
	// Manual: no background sync or inbox; the caller syncs with SyncOnce (headless
	// commands, tests that need to control every sync).
	Manual bool
	// Services are bound beside the app's own (the Updates service, package update).
	Services []any
	// Keyring lets the login's tokens go to the OS keyring when there is one (else a
	// private file). Off in tests, which must not touch the user's keyring.
	Keyring bool
}

// App is the composition root: it builds the services, opens the replica they share,
// and starts and stops the background work (sync, evidence inbox). The services are
// its fields; the window binds them (Services), the headless commands call them.
type App struct {
	Session  *Session
	Sync     *Sync
	Portal   *Portal
	Settings *Settings
	CA       *CA
	Outbox   *Outbox
	Evidence *attach.Evidence
	Partners *partners.Partners
	Library  *library.Library
	Chains   *fairmonitor.Chains
	Export   *exports.Export
	Audit    *audit.Audit
	Requests *requests.Requests
	Team     *team.Team
	Calendar *calendar.Calendar

	cfg       Config
	base      *base
	cancel    context.CancelFunc
	stopWatch func() // ends WatchWindow's watch
}

// New returns an app that is not opened yet.
func New(cfg Config) *App {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Platform == nil {
		cfg.Platform = headless{}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SyncInterval == 0 {
		cfg.SyncInterval = 60 * time.Second
	}
	if cfg.MaxBackoff == 0 {
		cfg.MaxBackoff = 30 * time.Second
	}
	parent := cfg.Context
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	b := &base{log: cfg.Logger, now: cfg.Now, platform: cfg.Platform, ctx: ctx}
	a := &App{cfg: cfg, base: b, cancel: cancel}
	a.Sync = &Sync{base: b, interval: cfg.SyncInterval, maxBackoff: cfg.MaxBackoff, manual: cfg.Manual, heartbeat: cfg.Heartbeat}
	a.Session = &Session{base: b, sync: a.Sync, defaults: cfg.Defaults, keyring: cfg.Keyring}
	a.Evidence = attach.New(attach.Config{Context: ctx, Store: func() *store.Store { return b.store }, Files: b.contentStore,
		Now: cfg.Now, Log: cfg.Logger, Platform: cfg.Platform, Crash: func() *crash.Keeper { return b.crash },
		Kick: a.Sync.kick, Pause: a.Sync.setPaused, Fail: b.fail, InboxDir: cfg.InboxDir, InboxQuiet: cfg.InboxQuiet})
	a.Sync.session, a.Sync.inbox = a.Session, a.Evidence
	a.Portal = &Portal{base: b}
	a.Settings = &Settings{base: b, session: a.Session}
	a.CA = &CA{base: b, sync: a.Sync}
	a.Outbox = &Outbox{base: b, sync: a.Sync}
	a.Partners = partners.New(partners.Config{Context: ctx, Store: func() *store.Store { return b.store }, Platform: cfg.Platform,
		Now: cfg.Now, Language: a.Settings.Language, Client: a.Sync.anyClient, Code: codeOf, Fail: b.fail})
	a.Library = library.New(library.Config{Context: ctx, Store: func() *store.Store { return b.store }, Now: cfg.Now,
		Kick: a.Sync.kick, Fail: b.fail})
	a.Chains = fairmonitor.New(fairmonitor.Config{Context: ctx, Store: func() *store.Store { return b.store }, Now: cfg.Now,
		Emit: cfg.Platform.Emit, Kick: a.Sync.kick, Log: cfg.Logger, Fail: b.fail})
	a.Sync.afterSync = func(ctx context.Context) { a.Chains.Check(ctx) }
	a.Export = exports.New(exports.Config{Context: ctx, Store: func() *store.Store { return b.store }, Platform: cfg.Platform,
		Now: cfg.Now, Language: a.Settings.Language, Stages: stagesOf, Fail: b.fail})
	a.Audit = audit.New(audit.Config{Context: ctx, Store: func() *store.Store { return b.store }, Client: a.Sync.anyClient, Fail: b.fail})
	a.Requests = requests.New(requests.Config{Context: ctx, Store: func() *store.Store { return b.store }, Now: cfg.Now,
		Kick: a.Sync.kick, Fail: b.fail})
	a.Team = team.New(team.Config{Context: ctx, Store: func() *store.Store { return b.store }, Now: cfg.Now,
		Client: a.Sync.anyClient, User: a.Session.user, Kick: a.Sync.kick, Fail: b.fail})
	a.Calendar = calendar.New(calendar.Config{Context: ctx, Store: func() *store.Store { return b.store },
		Client: a.Sync.anyClient, User: a.Session.user, Language: a.Settings.Language, Fail: b.fail})
	return a
}

// Services returns the bound services, in the order main binds them.
func (a *App) Services() []any {
	return append([]any{a.Session, a.Sync, a.Portal, a.Settings, a.CA, a.Outbox, a.Evidence, a.Export, a.Partners, a.Library, a.Audit, a.Requests, a.Chains, a.Team, a.Calendar}, a.cfg.Services...)
}

// Open opens the replica. It does not start syncing (Start does).
// A damaged replica is moved aside, never deleted; what can be read of it is kept, and
// a new replica is built.
func (a *App) Open(ctx context.Context) error {
	dir := a.cfg.DataDir
	if dir == "" {
		var err error
		if dir, err = datadir.Default(); err != nil {
			return fmt.Errorf("find data directory: %w", err)
		}
	}
	st, err := store.Open(ctx, dir)
	var saved *salvage.Salvage
	if errors.Is(err, store.ErrCorrupt) {
		var serr error
		if saved, serr = salvage.MoveAside(dir, a.base.now()); serr != nil {
			return fmt.Errorf("%w (and moving it aside failed: %v)", err, serr)
		}
		st, err = store.Open(ctx, dir)
	}
	if err != nil {
		return err
	}
	a.base.store = st
	a.base.crash = crash.New(dir, crashProgram())
	if saved != nil {
		a.Session.restore(ctx, saved)
	}
	return nil
}

// Start opens the replica and, when a session was saved, resumes it and starts syncing
// in the background — with or without a connection.
func (a *App) Start(ctx context.Context) error {
	if err := a.Open(ctx); err != nil {
		return err
	}
	return a.Session.resume(ctx)
}

// Prepare reads the dashboard once and drops it: the window calls it as soon as the
// replica is open, so that the NCs' decoding (a few hundred milliseconds for a large
// organisation, kept in the replica's cache) overlaps WebKit's start instead of delaying
// the dashboard's first call. Not bound: the UI never calls it.
func (a *App) Prepare(ctx context.Context) {
	if a.base.store == nil {
		return
	}
	if _, err := a.Portal.dashboard(ctx); err != nil && ctx.Err() == nil {
		a.base.log.Debug("prepare the dashboard", "error", err)
	}
}

// Close stops the background work, cancels the services' calls and closes the replica.
func (a *App) Close() error {
	a.Sync.stop()
	a.cancel()
	if a.stopWatch != nil {
		a.stopWatch()
	}
	if a.base.store == nil {
		return nil
	}
	return a.base.store.Close()
}

// DataDir is the data directory the app uses (the configured one, else the default).
func (a *App) DataDir() string {
	if a.cfg.DataDir != "" {
		return a.cfg.DataDir
	}
	dir, _ := datadir.Default()
	return dir
}

// ServerURL is the server of the saved login; "" before a login or the replica's opening.
func (a *App) ServerURL(ctx context.Context) string {
	if a == nil || a.base.store == nil {
		return ""
	}
	s, _ := a.base.store.Meta(ctx, store.MetaServer)
	return s
}

// Store gives the headless commands and tests the replica.
func (a *App) Store() *store.Store { return a.base.store }

// SyncOnce runs one sync in the foreground with the saved session (the headless
// commands). progress and uploads, when not nil, receive status changes and upload
// progress. Its error is the engine's, uncoded (Code says what it means).
func (a *App) SyncOnce(ctx context.Context, progress func(engine.Status), uploads func(engine.Progress)) error {
	return a.Sync.once(ctx, progress, uploads)
}

// Attach attaches files to an NC as evidence, saying where they came from (the bound
// Evidence service attaches what is dropped or picked; the headless command, files by
// path). Refusals are per file, in the results.
func (a *App) Attach(ctx context.Context, ncID string, paths []string, source string) ([]attach.AttachResult, error) {
	return a.Evidence.Attach(ctx, ncID, paths, source)
}

// FileMiddleware serves cached files and thumbnails to the UI (see Portal).
func (a *App) FileMiddleware(next http.Handler) http.Handler {
	return fileserve.Middleware(a.base.cached(), next)
}
