package app

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/attach"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
	"github.com/ecert-desktop/ecert-desktop/sync/engine"
	"github.com/ecert-desktop/ecert-desktop/sync/engine/heartbeat"
	"github.com/ecert-desktop/ecert-desktop/sync/engine/netchange"
)

// Sync shows and drives synchronisation. It runs the sync engine of the logged-in
// session in the background (Session starts and stops it), and tells the UI what
// changed.
type Sync struct {
	*base
	session    *Session
	inbox      *attach.Evidence // the evidence inbox runs with the session
	interval   time.Duration
	maxBackoff time.Duration
	manual     bool                      // no background sync (see Config.Manual)
	heartbeat  heartbeat.Options         // see Config.Heartbeat
	afterSync  func(ctx context.Context) // after a sync changed something (chains' alerts)

	mu     sync.Mutex
	conn   *client.Client
	engine *engine.Engine
	cancel context.CancelFunc
	done   chan struct{}
	// expiry is why the server refused the session (session_expired, password_changed),
	// "" while it accepts it: the user must log in again.
	expiry  string
	version atomic.Uint64 // see SyncStatus.Version
}

// Status returns the status bar's content.
func (s *Sync) Status() SyncStatus { return s.status(s.ctx) }

// SyncNow starts a sync at once; without a session it says the user is logged out.
func (s *Sync) SyncNow() error {
	e := s.running()
	if e == nil {
		return s.fail(&CodeError{Code: api.CodeNotLoggedIn})
	}
	e.SyncNow()
	return nil
}

func (s *Sync) status(ctx context.Context) SyncStatus {
	// The version is read before the state: a status is never older than its version.
	version := s.version.Load()
	s.mu.Lock()
	e, expired := s.engine, s.expiry
	s.mu.Unlock()
	var st SyncStatus
	if e != nil {
		es := e.Status()
		st = SyncStatus{Online: es.Online, Syncing: es.Syncing, LastError: es.LastError, Files: es.Files,
			ErrorAt: rfc3339(es.ErrorAt), NextTry: rfc3339(es.NextTry), LastContact: rfc3339(es.LastContact)}
	}
	if expired != "" {
		st.LastError = expired
	}
	st.LastSync, _ = s.store.Meta(ctx, store.MetaLastSync)
	st.Pending, _ = s.store.PendingCount(ctx)
	st.Version = version
	return st
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// options are the engine's options for the user of c: status and changes go to the
// UI, notices are announced.
func (s *Sync) options(c *client.Client) engine.Options {
	return engine.Options{
		Author:     c.Session().User.Name,
		Trail:      s.store.Trail,
		Interval:   s.interval,
		MaxBackoff: s.maxBackoff,
		Logger:     s.log,
		Now:        s.now,
		OnStatus: func(engine.Status) {
			s.version.Add(1)
			s.platform.Emit(EventSyncStatus, s.status(context.Background()))
		},
		OnChanges: func(entities []string) {
			s.platform.Emit(EventDataChanged, map[string][]string{"entities": entities})
			s.announce(context.Background())
			if s.afterSync != nil {
				s.afterSync(context.Background())
			}
			if slices.Contains(entities, api.EntityNC) {
				s.inbox.RefreshInbox(context.Background())
			}
		},
		OnProgress: func(p engine.Progress) { s.platform.Emit(EventUpload, progressEvent(p)) },
	}
}

// start runs the engine of c in the background (with the evidence inbox), or only
// keeps c when syncs are manual.
func (s *Sync) start(c *client.Client) {
	s.mu.Lock()
	s.expiry = ""
	s.mu.Unlock()
	if s.manual {
		s.mu.Lock()
		s.conn = c
		s.mu.Unlock()
		return
	}
	e := engine.New(replica{s.store}, remote{c}, s.options(c))
	e.SetPaused(s.inbox.Preferences().PauseUploads)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	s.mu.Lock()
	s.conn, s.engine, s.cancel, s.done = c, e, cancel, done
	s.mu.Unlock()
	s.inbox.StartInbox(ctx)
	// The heartbeat and the network's notices live as long as the engine's loop.
	beatCtx, stopBeat := context.WithCancel(ctx)
	beating := s.watchLink(beatCtx, e)
	go func() {
		defer close(done)
		defer func() { stopBeat(); <-beating }()
		defer s.crash.Guard()
		s.sendCrashes(ctx, c) // reports of a crash before this start, when allowed
		err := e.Serve(ctx)
		reason := ""
		switch {
		case errors.Is(err, engine.ErrSessionExpired):
			reason = api.CodeSessionExpired
		case errors.Is(err, engine.ErrPasswordChanged):
			reason = api.CodePasswordChanged
		case errors.Is(err, engine.ErrAccountDisabled):
			reason = api.CodeAccountDisabled
		default:
			return
		}
		s.mu.Lock()
		s.expiry = reason
		s.mu.Unlock()
		s.log.Info("the server ended the session: waiting for the user to log in again", "reason", reason)
		s.platform.Emit(EventSessionExpired, map[string]string{"reason": reason})
	}()
}

// watchLink runs the heartbeat of e and, where the system tells of network changes,
// probes at each one. The channel is closed when both have stopped with ctx.
func (s *Sync) watchLink(ctx context.Context, e *engine.Engine) <-chan struct{} {
	opt := s.heartbeat
	opt.Logger = s.log // its own clock: the session's may be a test's fixed one
	h := heartbeat.New(e, opt)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer s.crash.Guard()
		_ = h.Serve(ctx)
	}()
	if l, err := netchange.Open(); err != nil {
		s.log.Info("no network change notices: the link is checked on a timer", "error", err)
	} else {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer s.crash.Guard()
			if err := l.Serve(ctx, h.Nudge); err != nil && ctx.Err() == nil {
				s.log.Warn("network change notices stopped", "error", err)
			}
		}()
	}
	out := make(chan struct{})
	go func() { wg.Wait(); close(out) }()
	return out
}

// stop stops the background engine, if one runs, and waits for it.
func (s *Sync) stop() {
	s.mu.Lock()
	cancel, done := s.cancel, s.done
	s.conn, s.engine, s.cancel, s.done = nil, nil, nil, nil
	s.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// once runs one sync in the foreground with the saved session (see App.SyncOnce).
func (s *Sync) once(ctx context.Context, progress func(engine.Status), uploads func(engine.Progress)) error {
	saved, server, err := s.session.saved(ctx)
	if err != nil {
		return err
	}
	if saved == nil {
		return &CodeError{Code: api.CodeNotLoggedIn}
	}
	c, err := s.session.newClient(server)
	if err != nil {
		return err
	}
	c.SetSession(*saved)
	opt := s.options(c)
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
	e := engine.New(replica{s.store}, remote{c}, opt)
	e.SetPaused(false)
	if err := e.Sync(ctx); err != nil {
		return err
	}
	s.sendCrashes(ctx, c)
	return nil
}

func (s *Sync) running() *engine.Engine {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.engine
}

// client is the running session's client, nil when logged out.
func (s *Sync) client() *client.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conn
}

// anyClient is the running session's client or, without one (a headless command), a
// client of the saved session; nil when logged out.
func (s *Sync) anyClient(ctx context.Context) (*client.Client, error) {
	if c := s.client(); c != nil {
		return c, nil
	}
	saved, server, err := s.session.saved(ctx)
	if err != nil || saved == nil {
		return nil, err
	}
	c, err := s.session.newClient(server)
	if err != nil {
		return nil, err
	}
	c.SetSession(*saved)
	return c, nil
}

// expired returns why the server refused the running session, "" if it did not.
func (s *Sync) expired() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.expiry
}

// kick asks for a sync when a session runs; without one the change waits in the outbox.
func (s *Sync) kick() {
	if e := s.running(); e != nil {
		e.SyncNow()
	}
}

// setPaused holds or releases file uploads of the running session.
func (s *Sync) setPaused(paused bool) {
	if e := s.running(); e != nil {
		e.SetPaused(paused)
	}
}

// announce emits the notices a sync brought, each once.
func (s *Sync) announce(ctx context.Context) {
	notices, err := s.store.Portal.TakeNewNotices(ctx)
	if err != nil {
		s.log.Error("read notices", "error", err)
		return
	}
	if len(notices) == 0 {
		return
	}
	out := make([]Notice, 0, len(notices))
	for _, n := range notices {
		out = append(out, Notice{NCID: n.NCID, Kind: n.Kind, Stage: n.Stage})
	}
	s.platform.Emit(EventNotify, out)
}

// progressEvent is the payload of "upload:progress".
func progressEvent(p engine.Progress) map[string]any {
	return map[string]any{"sha256": p.SHA256, "name": p.Name, "done": p.Done, "total": p.Total,
		"all_done": p.AllDone, "all_total": p.AllTotal, "files": p.Files, "completed": p.Completed}
}

// The replica and the client are what the engine needs; say so where both are known.
var (
	_ engine.Replica      = (*store.Store)(nil)
	_ engine.Uploader     = (*store.Store)(nil)
	_ engine.Remote       = (*client.Client)(nil)
	_ engine.UploadRemote = (*client.Client)(nil)

	_ engine.DirectoryReplica = replica{}
	_ engine.DirectoryRemote  = remote{}
)
