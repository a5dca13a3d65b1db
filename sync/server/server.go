package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs"
	"github.com/ecert-desktop/ecert-desktop/sync/server/console"
	"github.com/ecert-desktop/ecert-desktop/sync/server/directory"
	"github.com/ecert-desktop/ecert-desktop/sync/server/members"
	"github.com/ecert-desktop/ecert-desktop/sync/server/requests"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
	"github.com/ecert-desktop/ecert-desktop/sync/server/uploads"
	"github.com/ecert-desktop/ecert-desktop/sync/server/workflow"
)

// Server is the reference Ecert server: the API's routes over its parts (auth,
// workflow, uploads, console). It is safe for concurrent use.
type Server struct {
	store    store.Store
	blobs    blobs.Store
	log      *slog.Logger
	auth     *auth.Service
	wf       *workflow.Workflow
	dir      *directory.Directory
	requests *requests.Requests
	uploads  *uploads.Uploads
	console  *console.Console
	handler  http.Handler

	now            func() time.Time
	draining       atomic.Bool // readyz answers 503 (ready.go)
	admit          *admission  // nil: no limit
	trustedProxies []netip.Prefix
	metrics        *metrics
	publicMetrics  bool
	releaseDir     string // published release (release.go); empty: none
}

// New builds a server on the store and blob store of cfg and brings every
// organisation's limits up to the configuration. It starts nothing: Serve runs the
// background work (the upload janitor).
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Blobs == nil || (cfg.UploadDir == "" && cfg.UploadFiles == nil) {
		return nil, errors.New("server: Store, Blobs and UploadDir (or UploadFiles) are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	limits := limitsOf(cfg)
	s := &Server{store: cfg.Store, blobs: cfg.Blobs, log: cfg.Logger, now: cfg.Now,
		admit: newAdmission(cfg.MaxInFlight, cfg.QueueWait), metrics: newMetrics(routeLabels()), publicMetrics: cfg.PublicMetrics,
		trustedProxies: cfg.TrustedProxies, releaseDir: cfg.ReleaseDir}
	s.auth = auth.New(auth.Options{Users: cfg.Store, Failures: cfg.Store, Logger: cfg.Logger, Now: cfg.Now,
		AccessTTL: cfg.AccessTTL, RefreshTTL: cfg.RefreshTTL,
		OrgChanged: func(ctx context.Context, orgID string) error { return members.Publish(ctx, cfg.Store, orgID) }})
	s.dir = directory.New(cfg.Store, cfg.Now)
	s.requests = requests.New(cfg.Store, cfg.Now)
	s.wf = workflow.New(workflow.Options{Store: cfg.Store, Blobs: cfg.Blobs, Limits: limits, Now: cfg.Now,
		Kinds: map[string]workflow.KindFunc{api.KindChangeRequest: s.requests.Push}})
	var err error
	s.uploads, err = uploads.New(uploads.Options{Dir: cfg.UploadDir, Files: cfg.UploadFiles, Store: cfg.Store, Blobs: cfg.Blobs,
		Adder: s.wf, Limits: limits, Locker: cfg.UploadLocker, Logger: cfg.Logger, Now: cfg.Now})
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	s.console = console.New(console.Options{Store: cfg.Store, Blobs: cfg.Blobs, Workflow: s.wf, Directory: s.dir, Auth: s.auth, Requests: s.requests,
		Logger: cfg.Logger, Now: cfg.Now})
	// Accounts made before the member entity, or by another process, reach the replicas.
	if err := members.PublishAll(context.Background(), cfg.Store); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	// Limits changed by the configuration reach every organisation's clients now.
	if err := s.wf.RefreshLimits(context.Background()); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	s.handler = s.routesHandler()
	return s, nil
}

// Handler returns the HTTP handler of the API and the console. It may be mounted on
// any server, such as an httptest.Server in tests of other packages.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve runs the server's background work — the upload janitor — until ctx ends, and
// returns nil then. The handler works without it; only expiry waits for it.
func (s *Server) Serve(ctx context.Context) error {
	return s.uploads.Serve(ctx)
}

// Workflow returns the NC workflow: the steps of analysts and auditors and the
// server's own writes of entities.
func (s *Server) Workflow() *workflow.Workflow { return s.wf }

// ChangeRequests returns the change requests (Accept, Refuse, List).
func (s *Server) ChangeRequests() *requests.Requests { return s.requests }

// Directory returns the operator directory (Suspend, Reinstate).
func (s *Server) Directory() *directory.Directory { return s.dir }

// Auth returns the users and tokens service (CreateUser).
func (s *Server) Auth() *auth.Service { return s.auth }

// Uploads returns the upload handlers (Expire).
func (s *Server) Uploads() *uploads.Uploads { return s.uploads }
