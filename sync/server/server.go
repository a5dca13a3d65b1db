package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// Config configures a Server. Only DataDir is required.
type Config struct {
	DataDir    string           // holds ecert-server.db and blobs/; created if missing
	Logger     *slog.Logger     // nil discards logs
	Now        func() time.Time // nil means time.Now; tests move the clock with it
	AccessTTL  time.Duration    // lifetime of access tokens; 0 means 15 minutes
	RefreshTTL time.Duration    // lifetime of refresh tokens; 0 means 30 days
}

// Server is the reference Ecert server. It is safe for concurrent use.
type Server struct {
	store      Store
	blobs      Blobs
	log        *slog.Logger
	now        func() time.Time
	accessTTL  time.Duration
	refreshTTL time.Duration
	fresh      bool
	limiter    *loginLimiter
	handler    http.Handler
}

// DatabaseFile is the name of the SQLite file inside Config.DataDir.
const DatabaseFile = "ecert-server.db"

// New opens (or creates) the server's data in cfg.DataDir and migrates its schema.
// The caller must Close the server.
func New(cfg Config) (*Server, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("server: DataDir is required")
	}
	s := &Server{
		log:        cfg.Logger,
		now:        cfg.Now,
		accessTTL:  cfg.AccessTTL,
		refreshTTL: cfg.RefreshTTL,
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.accessTTL <= 0 {
		s.accessTTL = 15 * time.Minute
	}
	if s.refreshTTL <= 0 {
		s.refreshTTL = 30 * 24 * time.Hour
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("server: create data folder: %w", err)
	}
	blobs, err := newDiskBlobs(filepath.Join(cfg.DataDir, "blobs"))
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	st, before, err := openSQLite(context.Background(), filepath.Join(cfg.DataDir, DatabaseFile), s.now)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	s.store, s.blobs, s.fresh = st, blobs, before == 0
	s.limiter = newLoginLimiter(s.now)
	s.handler = s.routesHandler()
	return s, nil
}

// Handler returns the HTTP handler of the API. It may be mounted on any server,
// such as an httptest.Server in tests of other packages.
func (s *Server) Handler() http.Handler { return s.handler }

// Fresh reports whether New created the database (rather than reopening one); the
// demo data is seeded only then.
func (s *Server) Fresh() bool { return s.fresh }

// Close releases the database. In-flight requests should be drained first
// (http.Server.Shutdown).
func (s *Server) Close() error { return s.store.Close() }
