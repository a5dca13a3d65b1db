package main

import (
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"testing"
)

// A busy address fails before the data folder is created or the demo seeded: an
// operator who mistyped the port finds nothing half-made.
func TestServeBusyAddressSeedsNothing(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	dataDir := filepath.Join(t.TempDir(), "data")
	err = serve(slog.New(slog.NewTextHandler(io.Discard, nil)), []string{"--addr", busy.Addr().String(), "--data-dir", dataDir, "--demo"})
	if err == nil {
		t.Fatal("serve on a busy address: no error")
	}
	if _, statErr := os.Stat(dataDir); !os.IsNotExist(statErr) {
		t.Errorf("data folder after the refused bind: %v, want none", statErr)
	}
}

// Limits that make no sense are refused before anything is created.
func TestServeRefusesNonsenseLimits(t *testing.T) {
	for _, args := range [][]string{
		{"--max-in-flight", "0"},
		{"--max-in-flight", "-3"},
		{"--max-file-mb", "0"},
		{"--quota-mb", "-1"},
		{"--demo", "--demo-today", "05/12/2026"},
		{"--drain-wait", "-1s"},
		{"--shutdown-wait", "0s"},
		{"--trusted-proxy", "10.0.0.300"},
		{"--trusted-proxy", "10.0.0.0/99"},
	} {
		dataDir := filepath.Join(t.TempDir(), "data")
		all := append([]string{"--addr", "127.0.0.1:0", "--data-dir", dataDir}, args...)
		if err := serve(slog.New(slog.NewTextHandler(io.Discard, nil)), all); err == nil {
			t.Errorf("serve %v: no error", args)
		}
		if _, statErr := os.Stat(dataDir); !os.IsNotExist(statErr) {
			t.Errorf("serve %v created the data folder", args)
		}
	}
}
