package desktop

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// opener puts a stand-in for the system's opener (xdg-open) first on PATH: the OS
// boundary, answering as xdg-open does.
func opener(t *testing.T, script string) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the stand-in opener is xdg-open")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "xdg-open"), []byte("#!/bin/sh\n"+script+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
}

func TestOpenPathSaysWhenNoProgramOpensTheFile(t *testing.T) {
	defer func(d time.Duration) { openerWait = d }(openerWait)
	openerWait = 2 * time.Second
	var p Platform

	// xdg-open's "no method available": no viewer for this type.
	opener(t, "exit 3")
	var ce *app.CodeError
	if err := p.OpenPath("/tmp/x.odt"); !errors.As(err, &ce) || ce.Code != api.CodeNoViewer {
		t.Errorf("opener exiting 3: got %v, want %s", err, api.CodeNoViewer)
	}

	// No opener at all.
	t.Setenv("PATH", t.TempDir())
	if err := p.OpenPath("/tmp/x.odt"); !errors.As(err, &ce) || ce.Code != api.CodeNoViewer {
		t.Errorf("no opener: got %v, want %s", err, api.CodeNoViewer)
	}

	// A viewer found: the opener exits 0, or is still running when the wait ends.
	opener(t, "exit 0")
	if err := p.OpenPath("/tmp/x.pdf"); err != nil {
		t.Errorf("opener exiting 0: %v", err)
	}
	openerWait = 100 * time.Millisecond
	opener(t, "exec /bin/sleep 2")
	start := time.Now()
	if err := p.OpenPath("/tmp/x.pdf"); err != nil {
		t.Errorf("opener still running: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("OpenPath waited %v for a viewer that had started", d)
	}
}
