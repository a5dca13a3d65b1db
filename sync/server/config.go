package server

import (
	"log/slog"
	"net/netip"
	"slices"
	"strings"
	"time"

	tusd "github.com/tus/tusd/v2/pkg/handler"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
	"github.com/ecert-desktop/ecert-desktop/sync/server/uploads"
)

// Config configures a Server. Store, Blobs and UploadDir (or UploadFiles) are required.
type Config struct {
	// Store is the database (store/sqlite, or another implementation of the contract);
	// Blobs holds file bytes (blobs.Folder, or another). The caller opens and closes
	// both.
	Store store.Store
	Blobs blobs.Store
	// UploadDir holds unfinished uploads (tus): <id> and <id>.info. UploadFiles, when
	// set, holds them instead (s3.Uploads: any node resumes them); UploadDir is unused.
	UploadDir   string
	UploadFiles uploads.Files
	// UploadLocker locks an upload while a request works on it; nil means in memory,
	// enough for one process. Several nodes behind a load balancer share one
	// (pglock.Locker on their PostgreSQL database), so a resumed upload landing on
	// another node waits for, and interrupts, the request still holding it elsewhere.
	UploadLocker tusd.Locker

	Logger     *slog.Logger     // nil discards logs
	Now        func() time.Time // nil means time.Now; tests move the clock with it
	AccessTTL  time.Duration    // lifetime of access tokens; 0 means 15 minutes
	RefreshTTL time.Duration    // lifetime of refresh tokens; 0 means 30 days

	// Evidence files (served to clients as the api.EntityLimits entity).
	MaxFileBytes int64         // largest evidence file; 0 means DefaultMaxFileBytes
	FileTypes    []string      // accepted name extensions (".pdf"); nil means DefaultFileTypes
	QuotaBytes   int64         // uploaded bytes per organisation; 0 means DefaultQuotaBytes, < 0 no quota
	UploadExpiry time.Duration // an unfinished upload untouched this long is deleted; 0 means 24 h

	// Admission limit (admission.go): at most MaxInFlight API requests are served at
	// once; one more waits up to QueueWait for a slot, then is answered 503 overloaded
	// with Retry-After. 0 means DefaultMaxInFlight and DefaultQueueWait; MaxInFlight < 0
	// means no limit.
	MaxInFlight int
	QueueWait   time.Duration
	// TrustedProxies are the load balancers in front of the server (HAProxy): from
	// them, the client's address is the last hop of X-Forwarded-For (proxied.go), which
	// the login limits key on. Empty: the peer is the client, headers are ignored.
	TrustedProxies []netip.Prefix
	// PublicMetrics serves GET /metrics to anyone; by default only to a peer on the
	// same machine that no proxy forwarded (metrics.go).
	PublicMetrics bool
	// ReleaseDir holds the published release of the desktop app: manifest.json, signed
	// by the publisher (package sync/release, build/release sign), and the files it
	// lists. Served to anyone at /release/manifest and /release/files/{name}; empty
	// means no release is published here (both answer 404 not_found).
	ReleaseDir string
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

// limitsOf applies the defaults to the evidence limits of a configuration.
func limitsOf(cfg Config) api.Limits {
	l := api.Limits{MaxFileBytes: cfg.MaxFileBytes, QuotaBytes: cfg.QuotaBytes,
		UploadExpiry: int64(cfg.UploadExpiry / time.Second)}
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = DefaultMaxFileBytes
	}
	switch {
	case l.QuotaBytes == 0:
		l.QuotaBytes = DefaultQuotaBytes
	case l.QuotaBytes < 0:
		l.QuotaBytes = 0 // none, as api.Limits says it
	}
	if cfg.UploadExpiry <= 0 {
		l.UploadExpiry = int64(DefaultUploadExpiry / time.Second)
	}
	types := cfg.FileTypes
	if types == nil {
		types = DefaultFileTypes
	}
	for _, t := range types {
		t = strings.ToLower(strings.TrimSpace(t))
		if t != "" && !strings.HasPrefix(t, ".") {
			t = "." + t
		}
		if t != "" && !slices.Contains(l.Types, t) {
			l.Types = append(l.Types, t)
		}
	}
	return l
}
