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

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Config configures a Server. Only DataDir is required.
type Config struct {
	DataDir    string           // holds ecert-server.db and blobs/; created if missing
	Logger     *slog.Logger     // nil discards logs
	Now        func() time.Time // nil means time.Now; tests move the clock with it
	AccessTTL  time.Duration    // lifetime of access tokens; 0 means 15 minutes
	RefreshTTL time.Duration    // lifetime of refresh tokens; 0 means 30 days

	// Evidence files (served to clients as the api.EntityLimits entity).
	MaxFileBytes int64         // largest evidence file; 0 means DefaultMaxFileBytes
	FileTypes    []string      // accepted name extensions (".pdf"); nil means DefaultFileTypes
	QuotaBytes   int64         // uploaded bytes per organisation; 0 means DefaultQuotaBytes, < 0 no quota
	UploadExpiry time.Duration // an unfinished upload untouched this long is deleted; 0 means 24 h
}

// Defaults of the evidence limits.
const (
	DefaultMaxFileBytes int64 = 100 << 20
	DefaultQuotaBytes   int64 = 5 << 30
	DefaultUploadExpiry       = 24 * time.Hour
)

// DefaultFileTypes are the file name extensions accepted for evidence by default.
var DefaultFileTypes = []string{".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic",
	".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".csv", ".txt", ".zip"}

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

	limits  api.Limits // the evidence limits, UsedBytes aside
	uploads *uploads
	// stopJanitor ends the upload janitor; janitorDone is closed when it has.
	stopJanitor context.CancelFunc
	janitorDone chan struct{}
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
	s.limits = limitsOf(cfg)
	if s.uploads, err = s.newUploads(filepath.Join(cfg.DataDir, "uploads")); err != nil {
		st.Close()
		return nil, fmt.Errorf("server: %w", err)
	}
	// Limits changed by the configuration reach every organisation's clients now.
	if err := s.refreshLimits(context.Background()); err != nil {
		st.Close()
		return nil, fmt.Errorf("server: %w", err)
	}
	s.handler = s.routesHandler()
	jctx, stop := context.WithCancel(context.Background())
	s.stopJanitor, s.janitorDone = stop, make(chan struct{})
	go s.janitor(jctx)
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
func (s *Server) Close() error {
	s.stopJanitor()
	<-s.janitorDone
	return s.store.Close()
}
