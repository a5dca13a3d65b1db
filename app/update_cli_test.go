package app_test

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/update"
	"github.com/ecert-desktop/ecert-desktop/sync/release/releasetest"
)

// `ecert-desktop update` as a user runs it: a binary stamped as version 1.2.0 that
// trusts the test-only key, against ecert-server --release-dir publishing 1.3.0. On
// Linux it announces the release and says to use the package manager; it replaces
// nothing (the swap itself is tested in app/update on a scratch binary).
func TestUpdateCommand(t *testing.T) {
	mod := "github.com/ecert-desktop/ecert-desktop/app/"
	stamped := filepath.Join(t.TempDir(), "ecert-desktop")
	ldflags := "-X " + mod + "version.Version=1.2.0 -X " + mod + "update.PublicKey=" + releasetest.TestOnlyPublicKeyBase64()
	if out, err := exec.Command("go", "build", "-ldflags", ldflags, "-o", stamped, "..").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	rel := t.TempDir()
	releasetest.Publish(t, rel, "1.3.0", releasetest.TestOnlyPrivateKey(),
		releasetest.Entry{Platform: update.Platform(), Name: "ecert-desktop-1.3.0", Data: []byte("new build")})
	url, _ := startServer(t, "--release-dir", rel)
	data := t.TempDir()
	runAs := func(args ...string) result {
		old := bin.desktop
		bin.desktop = stamped
		defer func() { bin.desktop = old }()
		return run(t, data, "coop\n", nil, args...)
	}

	// The probe an installing process runs: the version, and nothing else.
	if r := runAs("update", "--probe"); r.code != 0 || strings.TrimSpace(r.stdout) != "1.2.0" {
		t.Errorf("update --probe: code %d, stdout %q", r.code, r.stdout)
	}
	// Before a login there is no server to ask.
	if r := runAs("update", "--check"); r.code != 1 || !strings.Contains(r.stderr, "not logged in") {
		t.Errorf("update --check before login: code %d, stderr %q", r.code, r.stderr)
	}
	if r := runAs("login", "--server", url, "--user", "coop"); r.code != 0 {
		t.Fatalf("login: %d %s", r.code, r.stderr)
	}
	r := runAs("update", "--check", "--json")
	var st update.State
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || r.code != 0 {
		t.Fatalf("update --check --json: code %d, %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	if st.Status != update.StatusAvailable || st.Available != "1.3.0" || st.Current != "1.2.0" {
		t.Errorf("update --check --json: %+v", st)
	}
	if update.DefaultMode() == update.ModeNotice {
		if st.Code != "update_manual" {
			t.Errorf("code on this platform: %q, want update_manual", st.Code)
		}
		r = runAs("update")
		if r.code != 1 || !strings.Contains(r.stderr, "package manager") {
			t.Errorf("update on a Linux package: code %d, stderr %q", r.code, r.stderr)
		}
	}
	// Signed by another key: refused in plain words.
	releasetest.Publish(t, rel, "1.3.1", releasetest.OtherPrivateKey(),
		releasetest.Entry{Platform: update.Platform(), Name: "ecert-desktop-1.3.1", Data: []byte("evil")})
	if r := runAs("update", "--check"); r.code != 1 || !strings.Contains(r.stderr, "not signed by the publisher") {
		t.Errorf("update --check of a badly signed release: code %d, stderr %q", r.code, r.stderr)
	}
}
