package update

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/coded"
	"github.com/ecert-desktop/ecert-desktop/app/version"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// EventState is the event the window hears when the update state changes (a State).
const EventState = "update:state"

// Statuses of State.Status.
const (
	StatusDisabled    = "disabled"    // this build trusts no publisher key: never checks
	StatusIdle        = "idle"        // not checked yet
	StatusChecking    = "checking"    // reading the manifest
	StatusCurrent     = "current"     // nothing newer is published
	StatusAvailable   = "available"   // a newer release (Code update_manual: install it by hand)
	StatusDownloading = "downloading" // Done of Total bytes
	StatusInstalling  = "installing"  // swapping and starting the new version
	StatusInstalled   = "installed"   // the new version started; the app restarts into it
	StatusRefused     = "refused"     // the release was refused (Code says why); nothing changed
	StatusFailed      = "failed"      // the check or install failed (Code says why); nothing changed
)

// State is what the About dialog shows of updates.
type State struct {
	Status    string `json:"status"`
	Current   string `json:"current"`
	Available string `json:"available,omitempty"`
	// Mode is "swap" (Install and restart is offered) or "notice" (the user updates
	// through their package manager).
	Mode      string `json:"mode"`
	Code      string `json:"code,omitempty"`
	Done      int64  `json:"done,omitempty"`
	Total     int64  `json:"total,omitempty"`
	CheckedAt string `json:"checked_at,omitempty"` // RFC 3339, UTC
}

// About is what the About dialog shows: this build and the update state.
type About struct {
	Build  version.Info `json:"build"`
	Update State        `json:"update"`
	// Key is the key releases are verified with, or why updates are off.
	Key KeyState `json:"key"`
}

// ServiceConfig configures the bound service.
type ServiceConfig struct {
	Updater *Updater
	Emit    func(event string, data any) // nil: no events
	Logger  *slog.Logger
	Now     func() time.Time
	// Restart starts the installed binary and ends this one (the window's quit); called
	// after a successful install.
	Restart func() error
	// FirstCheck is the wait after start before the first check (the replica opens and
	// the session resumes first); Interval between checks. 0: 20 s and 24 h.
	FirstCheck, Interval time.Duration
}

// Service is the Updates service bound to the window: its methods are the UI's calls.
type Service struct {
	cfg ServiceConfig
	ctx context.Context
	mu  sync.Mutex
	st  State
}

// NewService returns the service; Serve runs its checks.
func NewService(cfg ServiceConfig) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.FirstCheck == 0 {
		cfg.FirstCheck = 20 * time.Second
	}
	if cfg.Interval == 0 {
		cfg.Interval = 24 * time.Hour
	}
	s := &Service{cfg: cfg, ctx: context.Background()}
	u := cfg.Updater
	s.st = State{Status: StatusIdle, Current: u.cfg.Current, Mode: string(u.Mode())}
	if !u.Enabled() {
		s.st.Status = StatusDisabled
	}
	u.progress = func(done, total int64) {
		s.set(func(st *State) { st.Status, st.Done, st.Total = StatusDownloading, done, total })
	}
	return s
}

// Serve checks at start (after FirstCheck) and then every Interval, until ctx ends. A
// function, not a method: the window binds the service's methods.
func Serve(ctx context.Context, s *Service) error {
	s.mu.Lock()
	s.ctx = ctx
	s.mu.Unlock()
	if !s.cfg.Updater.Enabled() {
		return nil
	}
	t := time.NewTimer(s.cfg.FirstCheck)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		s.check(ctx)
		t.Reset(s.cfg.Interval)
	}
}

// About returns this build's identity and the update state.
func (s *Service) About() About {
	return About{Build: version.Get(), Update: s.State(), Key: s.cfg.Updater.key}
}

// State returns the update state.
func (s *Service) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st
}

// Check checks for a new release now. A refusal or a failure is in the state's Code.
func (s *Service) Check() State {
	return s.check(s.context())
}

// Install downloads, checks and installs the available release on the user's word, then
// restarts into it. Its error is a code: update_manual where the app cannot replace
// itself, update_hash, update_failed_start (rolled back), …; nothing changed then.
func (s *Service) Install() (State, error) {
	ctx := s.context()
	u := s.cfg.Updater
	s.set(func(st *State) { st.Status, st.Code = StatusInstalling, "" })
	offer, err := u.Apply(ctx)
	if err != nil {
		code := Code(err)
		s.cfg.Logger.Warn("update not installed", "code", code, "error", err)
		status := StatusFailed
		switch code {
		case api.CodeUpdateManual:
			status = StatusAvailable
		case api.CodeUpdateHash, api.CodeUpdateFailedStart:
			status = StatusRefused
		}
		return s.set(func(st *State) { st.Status, st.Code = status, code }), coded.Error(code)
	}
	st := s.set(func(st *State) { st.Status, st.Available, st.Code = StatusInstalled, offer.Version, "" })
	if s.cfg.Restart != nil {
		if err := s.cfg.Restart(); err != nil {
			s.cfg.Logger.Error("restart into the update", "error", err)
		}
	}
	return st, nil
}

func (s *Service) check(ctx context.Context) State {
	u := s.cfg.Updater
	if !u.Enabled() {
		return s.State()
	}
	s.set(func(st *State) { st.Status, st.Code = StatusChecking, "" })
	offer, err := u.Check(ctx)
	now := s.cfg.Now().UTC().Format(time.RFC3339)
	if err != nil {
		code := Code(err)
		status := StatusFailed
		switch code {
		case api.CodeUpdateCurrent:
			status = StatusCurrent
		case api.CodeUpdateSignature, api.CodeUpdateDowngrade, api.CodeUpdatePlatform:
			status = StatusRefused
			s.cfg.Logger.Warn("release refused", "code", code, "error", err)
		}
		return s.set(func(st *State) {
			st.Status, st.Code, st.Available, st.CheckedAt = status, code, "", now
		})
	}
	code := ""
	if u.Mode() != ModeSwap {
		code = api.CodeUpdateManual
	}
	return s.set(func(st *State) {
		st.Status, st.Code, st.Available, st.CheckedAt = StatusAvailable, code, offer.Version, now
		st.Done, st.Total = 0, offer.File.Size
	})
}

func (s *Service) context() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ctx
}

// set changes the state, emits it and returns it.
func (s *Service) set(change func(*State)) State {
	s.mu.Lock()
	change(&s.st)
	st := s.st
	s.mu.Unlock()
	if s.cfg.Emit != nil {
		s.cfg.Emit(EventState, st)
	}
	return st
}
