package lockfile_test

import (
	"errors"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/lockfile"
)

func TestOneHolderAtATime(t *testing.T) {
	dir := t.TempDir()
	l, err := lockfile.Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lockfile.Lock(dir); !errors.Is(err, lockfile.ErrLocked) {
		t.Fatalf("second lock while held: %v, want ErrLocked", err)
	}
	l.Close()
	again, err := lockfile.Lock(dir)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	again.Close()
}

// The state outlives the holder: "open" until a holder lets go in order, with the time
// of the last check; a new or unreadable file is "not clean, never checked".
func TestStateOutlivesTheHolder(t *testing.T) {
	dir := t.TempDir()
	l, err := lockfile.Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := l.State(); got.Clean || !got.Checked.IsZero() {
		t.Errorf("new lock file: %+v, want not clean, never checked", got)
	}
	checked := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	if err := l.SetState(lockfile.State{Checked: checked}, true); err != nil {
		t.Fatal(err)
	}
	l.Close()
	l, _ = lockfile.Lock(dir)
	if got := l.State(); got.Clean || !got.Checked.Equal(checked) {
		t.Errorf("after a holder that did not let go in order: %+v", got)
	}
	l.SetState(lockfile.State{Clean: true, Checked: checked}, false)
	l.Close()
	l, _ = lockfile.Lock(dir)
	defer l.Close()
	if got := l.State(); !got.Clean || !got.Checked.Equal(checked) {
		t.Errorf("after an orderly close: %+v", got)
	}
}
