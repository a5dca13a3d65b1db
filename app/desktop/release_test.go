package desktop

import (
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app"
)

// Memory is given back when a sync ends, not while one runs nor without one, and at
// most once in releaseEvery.
func TestMemoryIsReleasedWhenASyncEnds(t *testing.T) {
	released := make(chan struct{}, 10)
	r := &releaser{release: func() { released <- struct{}{} }}
	count := func() int {
		time.Sleep(50 * time.Millisecond) // the release runs in its own goroutine
		return len(released)
	}
	r.observe(app.EventSyncStatus, app.SyncStatus{LastSync: "2026-12-06T02:00:00Z"})
	r.observe(app.EventDataChanged, nil)
	if n := count(); n != 0 {
		t.Fatalf("%d releases without a sync", n)
	}
	r.observe(app.EventSyncStatus, app.SyncStatus{Syncing: true})
	if n := count(); n != 0 {
		t.Fatalf("%d releases while the sync runs", n)
	}
	r.observe(app.EventSyncStatus, app.SyncStatus{LastSync: "2026-12-06T02:00:05Z"})
	if n := count(); n != 1 {
		t.Fatalf("%d releases once the sync ended, want 1", n)
	}
	// The next sync, soon after: nothing to give back worth a full collection.
	r.observe(app.EventSyncStatus, app.SyncStatus{Syncing: true})
	r.observe(app.EventSyncStatus, app.SyncStatus{LastSync: "2026-12-06T02:00:35Z"})
	if n := count(); n != 1 {
		t.Fatalf("%d releases after a second sync within %v, want still 1", n, releaseEvery)
	}
	// Long after the last release, a sync's end releases again.
	r.last = r.last.Add(-releaseEvery)
	r.observe(app.EventSyncStatus, app.SyncStatus{Syncing: true})
	r.observe(app.EventSyncStatus, app.SyncStatus{LastSync: "2026-12-06T02:06:00Z"})
	if n := count(); n != 2 {
		t.Fatalf("%d releases after a sync %v later, want 2", n, releaseEvery)
	}
}

// A window without a releaser (nil) ignores the events.
func TestNilReleaserDoesNothing(t *testing.T) {
	var r *releaser
	r.observe(app.EventSyncStatus, app.SyncStatus{Syncing: true})
	r.observe(app.EventSyncStatus, app.SyncStatus{})
}
