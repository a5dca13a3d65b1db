package store

import (
	"context"
	"errors"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// ErrCrashLimit is returned by AddCrashReport when the organisation sent its day's
// reports already.
var ErrCrashLimit = errors.New("crash report limit reached")

// CrashRecord is a crash report as the server keeps it.
type CrashRecord struct {
	OrgID      string
	ReceivedAt time.Time
	Report     api.CrashReport
}

// CrashReports holds the desktop apps' crash reports, for the operators.
type CrashReports interface {
	// AddCrashReport keeps rec unless its organisation has perDay reports received at
	// or after since already (ErrCrashLimit); the count and the insert are atomic, so
	// concurrent calls never keep more. A report whose ID the organisation sent before
	// is not kept twice: it returns false and changes nothing. The organisation must
	// exist.
	AddCrashReport(ctx context.Context, rec CrashRecord, since time.Time, perDay int) (bool, error)
	// CrashReports returns the latest reports of every organisation, newest first, at
	// most limit.
	CrashReports(ctx context.Context, limit int) ([]CrashRecord, error)
}
