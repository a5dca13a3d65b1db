package api

import (
	"fmt"
	"strings"
)

// CrashReportsPath is the route the desktop app sends its crash reports to.
const CrashReportsPath = "/crash-reports"

// MaxCrashReportBytes is the largest crash report body the server reads (64 KiB).
const MaxCrashReportBytes = 64 << 10

// Kinds of crash.
const (
	CrashPanic       = "panic"        // a Go panic in the app
	CrashUncleanExit = "unclean_exit" // the window process died without closing (a signal, a crash of the web view)
)

// CrashReport is what the desktop app knows of one of its crashes, and nothing personal:
// no token, no text, no name, no path under the user's home. Frames are "function
// file.go:line" with the file's folder and name only. Sending the same ID twice keeps
// one report.
type CrashReport struct {
	ID        string   `json:"id"`   // 32 random hex digits, made on the crashed computer
	Kind      string   `json:"kind"` // CrashPanic or CrashUncleanExit
	Time      string   `json:"time"` // RFC 3339, UTC, to the minute
	Version   string   `json:"version"`
	Commit    string   `json:"commit"`
	OS        string   `json:"os"`
	Arch      string   `json:"arch"`
	GoVersion string   `json:"go_version"`
	WebView   string   `json:"webview"`
	Panic     string   `json:"panic,omitempty"` // a runtime error's message, else the panic value's type
	Frames    []string `json:"frames,omitempty"`
}

// CrashReportResult answers a sent report: Duplicate when its ID was known.
type CrashReportResult struct {
	ID        string `json:"id"`
	Duplicate bool   `json:"duplicate"`
}

// Limits of a report's fields (the server refuses more, the app cuts to them).
const (
	MaxCrashFrames     = 100
	MaxCrashFieldChars = 300
)

// shaped reports whether s has the shape: each 'd' a digit, each 'x' a lowercase hex
// digit, anything else itself. By hand rather than by regexps: those with counted
// repeats are compiled at every command's start (sync/BENCHMARKS.md).
func shaped(s, shape string) bool {
	if len(s) != len(shape) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch shape[i] {
		case 'd':
			if c < '0' || c > '9' {
				return false
			}
		case 'x':
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
				return false
			}
		default:
			if c != shape[i] {
				return false
			}
		}
	}
	return true
}

// crashTime is a time to the minute or second in UTC: 2026-12-05T18:20Z, 2026-12-05T18:20:07Z.
func crashTime(s string) bool {
	return shaped(s, "dddd-dd-ddTdd:ddZ") || shaped(s, "dddd-dd-ddTdd:dd:ddZ")
}

// Check reports what is wrong with a crash report, or nil.
func (r CrashReport) Check() error {
	switch {
	case !shaped(r.ID, strings.Repeat("x", 32)):
		return fmt.Errorf("id must be 32 lowercase hex digits")
	case r.Kind != CrashPanic && r.Kind != CrashUncleanExit:
		return fmt.Errorf("kind must be %q or %q", CrashPanic, CrashUncleanExit)
	case !crashTime(r.Time):
		return fmt.Errorf("time must be RFC 3339 in UTC")
	case len(r.Frames) > MaxCrashFrames:
		return fmt.Errorf("at most %d frames", MaxCrashFrames)
	}
	for _, s := range append([]string{r.Version, r.Commit, r.OS, r.Arch, r.GoVersion, r.WebView, r.Panic}, r.Frames...) {
		if len(s) > MaxCrashFieldChars {
			return fmt.Errorf("a field is longer than %d characters", MaxCrashFieldChars)
		}
	}
	return nil
}
