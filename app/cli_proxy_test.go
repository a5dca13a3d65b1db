package app_test

import (
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/client/proxytest"
)

func TestHeadlessCommandsThroughAProxy(t *testing.T) {
	url, _ := startServer(t)
	px := proxytest.StartWithAuth(t, "office", "pr0xy")
	data := t.TempDir()

	// Set, with the password on stdin; shown without it.
	if r := run(t, data, "pr0xy\n", nil, "settings", "proxy", px.URL, "--user", "office"); r.code != 0 || !strings.Contains(r.stdout, px.URL) || strings.Contains(r.stdout, "pr0xy") {
		t.Fatalf("settings proxy: code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if r := run(t, data, "coop\n", nil, "login", "--server", url, "--user", "coop"); r.code != 0 {
		t.Fatalf("login through the proxy: code %d, stderr %q", r.code, r.stderr)
	}
	if r := run(t, data, "", nil, "sync"); r.code != 0 || !strings.Contains(r.stdout, "Synced") {
		t.Fatalf("sync through the proxy: code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if px.Forwarded.Load() < 3 {
		t.Errorf("the proxy forwarded %d requests, want the login and the sync", px.Forwarded.Load())
	}

	// A wrong password is said in plain words.
	run(t, data, "wrong\n", nil, "settings", "proxy", px.URL, "--user", "office")
	if r := run(t, data, "", nil, "sync"); r.code != 1 || !strings.Contains(r.stderr, "proxy refused") {
		t.Errorf("sync with a wrong proxy password: code %d, stderr %q", r.code, r.stderr)
	}
	// So is a bad address, which changes nothing; and a user without an address is a usage error.
	if r := run(t, data, "", nil, "settings", "proxy", "ftp://x"); r.code != 1 || !strings.Contains(r.stderr, "not valid") {
		t.Errorf("bad address: code %d, stderr %q", r.code, r.stderr)
	}
	if r := run(t, data, "", nil, "settings", "proxy", "--user", "office"); r.code != 2 {
		t.Errorf("--user alone: code %d, want 2", r.code)
	}
	if r := run(t, data, "", nil, "settings", "proxy"); !strings.Contains(r.stdout, px.URL+" as office") {
		t.Errorf("settings after a refused change: %q", r.stdout)
	}

	// Direct again: the proxy sees nothing more.
	if r := run(t, data, "", nil, "settings", "proxy", "--none"); r.code != 0 || !strings.Contains(r.stdout, "direct") {
		t.Errorf("--none: code %d, stdout %q", r.code, r.stdout)
	}
	before := px.Forwarded.Load() + px.Refused.Load()
	if r := run(t, data, "", nil, "sync"); r.code != 0 {
		t.Errorf("direct sync: code %d, stderr %q", r.code, r.stderr)
	}
	if after := px.Forwarded.Load() + px.Refused.Load(); after != before {
		t.Errorf("the proxy saw %d requests after --none", after-before)
	}
}
