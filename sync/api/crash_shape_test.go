package api

import (
	"regexp"
	"strings"
	"testing"
)

// A crash report's id and time are checked by hand as the regexps they replace did.
func TestCrashReportShapesAreTheRegexps(t *testing.T) {
	id := regexp.MustCompile(`^[0-9a-f]{32}$`)
	at := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$`)
	hex := strings.Repeat("0123456789abcdef", 2)
	ids := []string{"", hex, hex[:31], hex + "0", strings.ToUpper(hex), hex[:31] + "g", hex[:31] + "\n", "0" + hex[1:]}
	times := []string{"", "2026-12-05T18:20Z", "2026-12-05T18:20:07Z", "2026-12-05T18:20:07", "2026-12-05 18:20Z",
		"2026-12-05T18:20:7Z", "2026-12-05T18:20:07.5Z", "2026-1-05T18:20Z", "2026-12-05T18:20Z\n", "a026-12-05T18:20Z",
		"2026-12-05T18:20+01:00", "2026/12/05T18:20Z"}
	for _, s := range ids {
		r := CrashReport{ID: s, Kind: CrashPanic, Time: "2026-12-05T18:20Z"}
		if got, want := r.Check() == nil, id.MatchString(s); got != want {
			t.Errorf("id %q: accepted %v, the regexp says %v", s, got, want)
		}
	}
	for _, s := range times {
		r := CrashReport{ID: hex, Kind: CrashPanic, Time: s}
		if got, want := r.Check() == nil, at.MatchString(s); got != want {
			t.Errorf("time %q: accepted %v, the regexp says %v", s, got, want)
		}
	}
}
