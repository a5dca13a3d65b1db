package desktop

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app"
)

func TestStartupLogRecordsEachMilestoneOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "startup.log")
	s := newStartupLog(path, slog.New(slog.DiscardHandler))
	statuses := []app.SyncStatus{
		{LastSync: "2026-11-27T10:00:00Z"},                       // idle, before this run's sync: not it
		{Syncing: true, LastSync: "2026-11-27T10:00:00Z"},        // the sync runs
		{LastSync: "2026-11-27T11:00:00Z", Files: 3},             // pulled, files still coming
		{LastSync: "2026-11-27T11:00:00Z"},                       // done
		{Syncing: true, LastSync: "2026-11-27T11:00:00Z"},        // a later sync
		{LastSync: "2026-11-27T11:05:00Z"},                       // done again: not recorded
		{LastSync: "2026-11-27T11:05:00Z", LastError: "offline"}, // an error: not a milestone
	}
	s.observe(app.EventDataChanged, map[string][]string{"entities": {"nc"}}) // other events: ignored
	s.observe(app.EventSyncStatus, statuses[0])
	if got := read(t, path); got != "" {
		t.Fatalf("after an idle status, log = %q, want nothing", got)
	}
	for _, st := range statuses[1:3] {
		s.observe(app.EventSyncStatus, st)
	}
	if got := read(t, path); got != "" {
		t.Fatalf("while files download, log = %q, want nothing", got)
	}
	s.mark("dashboard")
	for _, st := range statuses[3:] {
		s.observe(app.EventSyncStatus, st)
	}
	s.mark("dashboard")

	got := read(t, path)
	if !regexp.MustCompile(`^dashboard \d+\nsynced \d+\n$`).MatchString(got) {
		t.Errorf("log = %q, want one dashboard line, then one synced line", got)
	}
}

func TestNoStartupLogWithoutThePath(t *testing.T) {
	s := newStartupLog("", slog.New(slog.DiscardHandler))
	if s != nil {
		t.Fatalf("newStartupLog(\"\") = %v, want nil", s)
	}
	s.observe(app.EventSyncStatus, app.SyncStatus{Syncing: true}) // a nil log does nothing
	s.observe(app.EventSyncStatus, app.SyncStatus{LastSync: "x"})
	s.mark("dashboard")
	s.listen(context.Background())
}

func TestProcessStartIsBeforeNow(t *testing.T) {
	start := processStart()
	if age := time.Since(start); age < 0 || age > time.Hour {
		t.Errorf("processStart() = %v, %v ago: want a moment ago", start, age)
	}
	if start.After(loaded) {
		t.Errorf("processStart() = %v, after the program was loaded (%v)", start, loaded)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}
