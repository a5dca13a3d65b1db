package version

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// Stamped at link time by the release build (build/scripts/package.sh):
//
//	-ldflags "-X github.com/ecert-desktop/ecert-desktop/app/version.Version=1.2.3 ..."
//
// A plain `go build` leaves Version at "dev"; Commit and Date then come from the VCS
// information Go records in the binary, when there is any.
var (
	Version = "dev"
	Commit  = ""
	Date    = ""
)

// Updates says in plain words whether this build updates itself and with which key
// (app/update.Describe); main sets it at start, since app/update depends on this package.
var Updates = ""

// Info is what `ecert-desktop version --json` prints; its field names are a contract
// for scripts (the package tests read them).
type Info struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
	Date    string `json:"date"`
	// WebView is the engine the window is drawn with: "webkit2gtk-4.1",
	// "webkit2gtk-4.0", "webview2", "wkwebview", or "none" for a build without a window.
	WebView string `json:"webview"`
	Go      string `json:"go"`
	OS      string `json:"os"`
	Arch    string `json:"arch"`
	// Updates: "updates signed by the publisher's key <fingerprint>", or why they are off.
	Updates string `json:"updates,omitempty"`
}

// Get returns this binary's identity.
func Get() Info {
	info := Info{
		Version: Version, Commit: Commit, Date: Date, WebView: webView,
		Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH, Updates: Updates,
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision" && info.Commit == "":
				info.Commit = s.Value
			case s.Key == "vcs.time" && info.Date == "":
				info.Date = s.Value
			}
		}
	}
	if info.Commit == "" {
		info.Commit = "unknown"
	}
	if info.Date == "" {
		info.Date = "unknown"
	}
	return info
}

// String is the one-line form: "ecert-desktop 1.2.3 (commit abc1234, 2026-12-04, webkit2gtk-4.1)".
func (i Info) String() string {
	commit := i.Commit
	if len(commit) > 12 {
		commit = commit[:12]
	}
	return fmt.Sprintf("ecert-desktop %s (commit %s, built %s, %s, %s, %s/%s)",
		i.Version, commit, i.Date, i.WebView, i.Go, i.OS, i.Arch)
}

// Main runs `ecert-desktop version [--json]` and returns the exit code: 0, or 2 on a
// usage error.
func Main(args []string, stdout, stderr io.Writer) int {
	asJSON := false
	for _, a := range args {
		switch a {
		case "--json", "-json":
			asJSON = true
		default:
			fmt.Fprintf(stderr, "ecert-desktop version: unknown argument %q\nUsage: ecert-desktop version [--json]\n", a)
			return 2
		}
	}
	info := Get()
	if !asJSON {
		fmt.Fprintln(stdout, info)
		if info.Updates != "" {
			fmt.Fprintln(stdout, info.Updates)
		}
		return 0
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(info); err != nil {
		return 1
	}
	return 0
}
