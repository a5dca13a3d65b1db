package datadir_test

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/datadir"
)

func TestDefault(t *testing.T) {
	// The environment variable wins.
	t.Setenv(datadir.Env, "/srv/ecert data")
	if got, _ := datadir.Default(); got != "/srv/ecert data" {
		t.Errorf("with %s: %q", datadir.Env, got)
	}
	t.Setenv(datadir.Env, "")
	// Else the OS's per-user data folder.
	switch runtime.GOOS {
	case "linux":
		t.Setenv("XDG_DATA_HOME", "/home/marie/.data")
		if got, _ := datadir.Default(); got != filepath.Join("/home/marie/.data", "ecert-desktop") {
			t.Errorf("with XDG_DATA_HOME: %q", got)
		}
		t.Setenv("XDG_DATA_HOME", "")
		t.Setenv("HOME", "/home/marie")
		if got, _ := datadir.Default(); got != "/home/marie/.local/share/ecert-desktop" {
			t.Errorf("without XDG_DATA_HOME: %q", got)
		}
	case "windows":
		t.Setenv("LocalAppData", `C:\Users\Marie\AppData\Local`)
		if got, _ := datadir.Default(); got != `C:\Users\Marie\AppData\Local\ecert-desktop` {
			t.Errorf("on Windows: %q", got)
		}
	}
}
