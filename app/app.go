package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/evidence"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
	"github.com/ecert-desktop/ecert-desktop/sync/engine"
)

// Config is what New needs. Zero values take defaults.
type Config struct {
	DataDir  string
	Logger   *slog.Logger
	Platform Platform
	Now      func() time.Time
	// SyncInterval is the time between syncs when all is well (default 60 s).
	SyncInterval time.Duration
	// MaxBackoff caps the wait between retries while offline (default 30 s).
	MaxBackoff time.Duration
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
	// Keyring lets the login's tokens go to the OS keyring when there is one (else a
	// private file). Off in tests, which must not touch the user's keyring.
	Keyring bool
}

// App is the desktop app's core: the replica, the session and the sync engine. The bound
// services (Session, Sync, Portal, Settings) are thin views of it.
type App struct {
	cfg   Config
	log   *slog.Logger
	now   func() time.Time
	store *store.Store

	mu      sync.Mutex
	client  *client.Client
	engine  *engine.Engine
	stop    context.CancelFunc
	done    chan struct{}
	expired bool // the server refused the session: the user must log in again

	statusVersion atomic.Uint64 // see SyncStatus.Version

	evidence *evidence.Store // the content store of attached files (see files)
	inbox    *evidence.Inbox
	recovery *Recovery // set when a damaged replica was rebuilt at start
}

// New returns an app that is not started yet.
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
	return &App{cfg: cfg, log: cfg.Logger, now: cfg.Now}
}

// Open opens the replica. It does not start syncing (Start does).
func (a *App) Open(ctx context.Context) error {
	dir := a.cfg.DataDir
	if dir == "" {
		var err error
		if dir, err = DefaultDataDir(); err != nil {
			return fmt.Errorf("find data directory: %w", err)
		}
	}
	st, err := store.Open(ctx, dir)
	if errors.Is(err, store.ErrCorrupt) {
		// Moved aside, never deleted; what can be read is kept; a new replica is built.
		rec, salvaged, rerr := recoverDamaged(dir, a.now())
		if rerr != nil {
			return fmt.Errorf("%w (and moving it aside failed: %v)", err, rerr)
		}
		if st, err = store.Open(ctx, dir); err != nil {
			return err
		}
		a.store = st
		a.restore(ctx, rec, salvaged)
		return nil
	}
	if err != nil {
		return err
	}
	a.store = st
	return nil
}

// Start opens the replica and, when a session was saved, resumes it and starts syncing
// in the background — with or without a connection.
func (a *App) Start(ctx context.Context) error {
	if err := a.Open(ctx); err != nil {
		return err
	}
	s, server, err := a.savedSession(ctx)
	if err != nil || s == nil {
		return err
	}
	c, err := a.newClient(server)
	if err != nil {
		return err
	}
	c.SetSession(*s)
	a.startEngine(c)
	return nil
}

// Close stops syncing and closes the replica.
func (a *App) Close() error {
	a.stopEngine()
	if a.store == nil {
		return nil
	}
	return a.store.Close()
}

// DataDir is the data directory the app uses (the configured one, else the default).
func (a *App) DataDir() string {
	if a.cfg.DataDir != "" {
		return a.cfg.DataDir
	}
	dir, _ := DefaultDataDir()
	return dir
}

// Store gives the headless commands and tests the replica.
func (a *App) Store() *store.Store { return a.store }

func (a *App) savedSession(ctx context.Context) (*api.Session, string, error) {
	raw, err := a.store.Meta(ctx, store.MetaSession)
	if err != nil || raw == "" {
		return nil, "", err
	}
	server, err := a.store.Meta(ctx, store.MetaServer)
	if err != nil {
		return nil, "", err
	}
	var s api.Session
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return nil, "", fmt.Errorf("saved session: %w", err)
	}
	if s.AccessToken == "" { // the tokens are in the vault (sessions saved by older versions held them)
		kind, err := a.store.Meta(ctx, metaVault)
		if err != nil {
			return nil, "", err
		}
		t, err := a.getTokens(kind)
		if err != nil {
			a.log.Warn("the saved login's tokens cannot be read: log in again", "error", err)
			return nil, server, nil
		}
		s.AccessToken, s.RefreshToken = t.Access, t.Refresh
	}
	return &s, server, nil
}

func (a *App) newClient(server string) (*client.Client, error) {
	return client.New(server, client.OnRefresh(func(s api.Session) {
		// Persist at once: the old refresh token is spent.
		if err := a.saveSession(context.WithoutCancel(context.Background()), server, s); err != nil {
			a.log.Error("save refreshed session", "error", err)
		}
	}))
}

// saveSession keeps the session: who and where in the replica, the tokens in the vault.
func (a *App) saveSession(ctx context.Context, server string, s api.Session) error {
	kind, err := a.store.Meta(ctx, metaVault)
	if err != nil {
		return err
	}
	if kind == "" {
		kind = a.chooseVault()
	}
	if err := a.putTokens(kind, tokens{}.of(s)); err != nil && kind == VaultKeyring {
		a.log.Warn("the keyring refused the login: keeping it in a private file", "error", err)
		kind = VaultFile
		err = a.putTokens(kind, tokens{}.of(s))
	} else if err != nil {
		return err
	}
	s.AccessToken, s.RefreshToken = "", ""
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return a.store.SetMeta(ctx, store.MetaServer, server, store.MetaSession, string(raw), metaVault, kind)
}

// Login logs in to server. When another organisation than the replica's logs in, the
// replica is emptied first; a failed login leaves the replica untouched.
func (a *App) Login(ctx context.Context, server, username, password string) (SessionState, error) {
	username = strings.TrimSpace(username)
	if username == "" || password == "" {
		return SessionState{}, &CodeError{Code: api.CodeInvalidInput}
	}
	c, err := a.newClient(server)
	if err != nil {
		return SessionState{}, err
	}
	s, err := c.Login(ctx, username, password)
	if err != nil {
		return SessionState{}, err
	}
	if s.User.Role != api.RoleClient || s.User.OrgID == "" {
		return SessionState{}, &CodeError{Code: api.CodeNotAClient}
	}
	a.stopEngine()
	if old, _, _ := a.savedSession(ctx); old == nil || old.User.OrgID != s.User.OrgID {
		org, err := a.store.Organisation(ctx)
		if err == nil && org.ID != s.User.OrgID {
			if err := a.store.Reset(ctx); err != nil {
				return SessionState{}, err
			}
		}
	}
	if err := a.saveSession(ctx, c.Server(), s); err != nil {
		return SessionState{}, err
	}
	a.mu.Lock()
	a.expired = false
	a.mu.Unlock()
	a.startEngine(c)
	return a.State(ctx), nil
}

// Logout revokes the session on the server when it can be reached and forgets it
// locally. The replica stays, readable after the next login.
func (a *App) Logout(ctx context.Context) error {
	a.mu.Lock()
	c := a.client
	a.mu.Unlock()
	a.stopEngine()
	if c != nil {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := c.Logout(ctx); err != nil {
			a.log.Info("logout without server", "error", err)
		}
	}
	a.dropTokens()
	return a.store.SetMeta(ctx, store.MetaSession, "", metaVault, "")
}

// State describes the current session.
func (a *App) State(ctx context.Context) SessionState {
	var st SessionState
	s, server, err := a.savedSession(ctx)
	if err != nil {
		a.log.Error("read session", "error", err)
	}
	if org, err := a.store.Organisation(ctx); err == nil {
		st.HasData = true
		st.OrgID, st.OrgName = org.ID, org.Name
	}
	if s == nil {
		st.Server, _ = a.store.Meta(ctx, store.MetaServer)
		return st
	}
	a.mu.Lock()
	expired := a.expired
	a.mu.Unlock()
	st.LoggedIn = !expired
	st.TokenStore, _ = a.store.Meta(ctx, metaVault)
	st.Server, st.Username, st.Name = server, s.User.Username, s.User.Name
	st.OrgID, st.OrgName = s.User.OrgID, s.User.OrgName
	return st
}

// engineOptions are the engine's options for the user of c: status and changes go to
// the UI, notices are announced.
func (a *App) engineOptions(c *client.Client) engine.Options {
	return engine.Options{
		Author:     c.Session().User.Name,
		Interval:   a.cfg.SyncInterval,
		MaxBackoff: a.cfg.MaxBackoff,
		Logger:     a.log,
		Now:        a.now,
		OnStatus: func(engine.Status) {
			a.statusVersion.Add(1)
			a.cfg.Platform.Emit(EventSyncStatus, a.SyncStatus(context.Background()))
		},
		OnChanges: func(entities []string) {
			a.cfg.Platform.Emit(EventDataChanged, map[string][]string{"entities": entities})
			a.announce(context.Background())
			if slices.Contains(entities, api.EntityNC) {
				a.refreshInbox(context.Background())
			}
		},
		OnProgress: func(p engine.Progress) { a.cfg.Platform.Emit(EventUpload, progressEvent(p)) },
	}
}

func (a *App) startEngine(c *client.Client) {
	if a.cfg.Manual {
		a.mu.Lock()
		a.client = c
		a.mu.Unlock()
		return
	}
	e := engine.New(replica{a.store}, remote{c}, a.engineOptions(c))
	e.SetPaused(a.Preferences(context.Background()).PauseUploads)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	a.mu.Lock()
	a.client, a.engine, a.stop, a.done = c, e, cancel, done
	a.mu.Unlock()
	a.startInbox(ctx)
	go func() {
		defer close(done)
		if err := e.Serve(ctx); errors.Is(err, engine.ErrSessionExpired) {
			a.mu.Lock()
			a.expired = true
			a.mu.Unlock()
			a.log.Info("session expired: waiting for the user to log in again")
			a.cfg.Platform.Emit(EventSessionExpired, nil)
		}
	}()
}

func (a *App) stopEngine() {
	a.mu.Lock()
	stop, done := a.stop, a.done
	a.client, a.engine, a.stop, a.done = nil, nil, nil, nil
	a.mu.Unlock()
	if stop != nil {
		stop()
		<-done
	}
}

// SyncNow asks for a sync at once; without a session it says the user is logged out.
func (a *App) SyncNow() error {
	a.mu.Lock()
	e := a.engine
	a.mu.Unlock()
	if e == nil {
		return &CodeError{Code: api.CodeNotLoggedIn}
	}
	e.SyncNow()
	return nil
}

// SyncStatus is the status bar's content.
func (a *App) SyncStatus(ctx context.Context) SyncStatus {
	// The version is read before the state: a status is never older than its version.
	version := a.statusVersion.Load()
	a.mu.Lock()
	e, expired := a.engine, a.expired
	a.mu.Unlock()
	var st SyncStatus
	if e != nil {
		s := e.Status()
		st = SyncStatus{Online: s.Online, Syncing: s.Syncing, LastError: s.LastError, Files: s.Files,
			ErrorAt: rfc3339(s.ErrorAt), NextTry: rfc3339(s.NextTry)}
	}
	if expired {
		st.LastError = api.CodeSessionExpired
	}
	st.LastSync, _ = a.store.Meta(ctx, store.MetaLastSync)
	st.Pending, _ = a.store.PendingCount(ctx)
	st.Version = version
	return st
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// SyncOnce runs one sync in the foreground with the saved session (the headless
// "sync" command). progress, when not nil, receives status changes.
func (a *App) SyncOnce(ctx context.Context, progress func(engine.Status), uploads func(engine.Progress)) error {
	s, server, err := a.savedSession(ctx)
	if err != nil {
		return err
	}
	if s == nil {
		return &CodeError{Code: api.CodeNotLoggedIn}
	}
	c, err := a.newClient(server)
	if err != nil {
		return err
	}
	c.SetSession(*s)
	opt := a.engineOptions(c)
	if progress != nil {
		onStatus := opt.OnStatus
		opt.OnStatus = func(st engine.Status) {
			onStatus(st)
			progress(st)
		}
	}
	if uploads != nil {
		onProgress := opt.OnProgress
		opt.OnProgress = func(p engine.Progress) {
			onProgress(p)
			uploads(p)
		}
	}
	e := engine.New(replica{a.store}, remote{c}, opt)
	e.SetPaused(false)
	return e.Sync(ctx)
}

// The replica and the client are what the engine needs; say so where both are known.
var (
	_ engine.Replica      = (*store.Store)(nil)
	_ engine.Uploader     = (*store.Store)(nil)
	_ engine.Remote       = (*client.Client)(nil)
	_ engine.UploadRemote = (*client.Client)(nil)
)
