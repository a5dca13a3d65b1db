package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/datadir"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
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

// password sets a user's password from stdin, applying the rules unless --allow-weak,
// and refuses an unknown user.
func TestPasswordCommand(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dataDir := filepath.Join(t.TempDir(), "data")
	// A data folder with the demo users, as serve --demo leaves it.
	ctx := context.Background()
	dir, err := datadir.Open(ctx, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{Store: dir.Store, Blobs: dir.Blobs, UploadDir: dir.Uploads, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, demo.Server{Workflow: srv.Workflow(), Auth: srv.Auth(), Store: dir.Store}); err != nil {
		t.Fatal(err)
	}
	dir.Close()

	run := func(stdin string, args ...string) (string, error) {
		var out strings.Builder
		err := password(log, append([]string{"--data-dir", dataDir}, args...), strings.NewReader(stdin), &out)
		return out.String(), err
	}
	for _, c := range []struct {
		name, stdin string
		args        []string
		wantErr     string
	}{
		{"too short", "short\n", []string{"analyst"}, "password_too_short"},
		{"common", "password123\n", []string{"analyst"}, "password_common"},
		{"empty stdin", "", []string{"analyst"}, "on stdin"},
		{"unknown user", "a long new phrase\n", []string{"nobody"}, "no user"},
		{"no user named", "a long new phrase\n", nil, "exactly one user"},
	} {
		if _, err := run(c.stdin, c.args...); err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("%s: got %v, want an error with %q", c.name, err, c.wantErr)
		}
	}
	if out, err := run("a long new phrase\n", "analyst"); err != nil || !strings.Contains(out, "changed") {
		t.Fatalf("change: %q, %v", out, err)
	}
	if _, err := run("weak\n", "--allow-weak", "coop"); err != nil {
		t.Fatalf("--allow-weak: %v", err)
	}

	dir, err = datadir.Open(ctx, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	srv, _ = server.New(server.Config{Store: dir.Store, Blobs: dir.Blobs, UploadDir: dir.Uploads, Logger: log})
	for user, pw := range map[string]string{"analyst": "a long new phrase", "coop": "weak"} {
		if _, err := srv.Auth().Login(ctx, user, pw, "127.0.0.1"); err != nil {
			t.Errorf("login %s with the new password: %v", user, err)
		}
	}
}

// --database without --s3-bucket says, at start, that the files stay on this node's
// disk; with --s3-bucket it does not. (The database here is unreachable: serve stops
// after the warning.)
func TestServeWarnsOfFilesOnOneNode(t *testing.T) {
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	db := "postgres://ecert@" + closed.Addr().String() + "/ecert?connect_timeout=2"
	closed.Close()
	for _, c := range []struct {
		args []string
		warn bool
	}{
		{[]string{"--database", db}, true},
		{[]string{"--database", db, "--s3-bucket", "b", "--s3-endpoint", "http://" + closed.Addr().String()}, false},
		{nil, false},
	} {
		var logged strings.Builder
		dataDir := filepath.Join(t.TempDir(), "data")
		args := append([]string{"--addr", "127.0.0.1:0", "--data-dir", dataDir}, c.args...)
		if c.args == nil {
			args = append(args, "--max-in-flight", "0") // stops serve after the check
		}
		serve(slog.New(slog.NewTextHandler(&logged, nil)), args)
		if got := strings.Contains(logged.String(), "--database without --s3-bucket"); got != c.warn {
			t.Errorf("serve %v: warned %v, want %v; log:\n%s", c.args, got, c.warn, logged.String())
		}
	}
}

// generate --orgs makes several organisations in one process; with --password their
// users log in with it and share one stored hash (the load fixture of make load).
func TestGenerateManyOrganisations(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dataDir := filepath.Join(t.TempDir(), "data")
	if err := generate(log, []string{"--data-dir", dataDir, "--org", "10001", "--orgs", "3", "--user", "u", "--password", "load-fixture",
		"--audits", "1", "--ncs", "2", "--messages", "2", "--evidence", "0", "--operators", "20"}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	dir, err := datadir.Open(ctx, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	srv, err := server.New(server.Config{Store: dir.Store, Blobs: dir.Blobs, UploadDir: dir.Uploads, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	hashes := map[string]bool{}
	for _, org := range []string{"10001", "10002", "10003"} {
		u, err := srv.Auth().Login(ctx, "u"+org, "load-fixture", "127.0.0.1")
		if err != nil {
			t.Fatalf("login u%s: %v", org, err)
		}
		if u.OrgID != org {
			t.Errorf("u%s belongs to %q, want %s", org, u.OrgID, org)
		}
		hashes[u.PasswordHash] = true
	}
	if len(hashes) != 1 {
		t.Errorf("%d distinct hashes, want the one shared", len(hashes))
	}
	if _, err := dir.Store.User(ctx, "u10004"); err == nil {
		t.Error("an organisation past --orgs was made")
	}
}
