package app_test

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/update"
	"github.com/ecert-desktop/ecert-desktop/sync/release"
	"github.com/ecert-desktop/ecert-desktop/sync/release/releasetest"
)

// versionOf is what `exe version ARGS…` prints.
func versionOf(t *testing.T, exe string, args ...string) string {
	t.Helper()
	out, err := exec.Command(exe, append([]string{"version"}, args...)...).Output()
	if err != nil {
		t.Fatalf("%s version: %v", exe, err)
	}
	return string(out)
}

// buildStamped builds the app with build tags and ldflags into a temporary folder.
func buildStamped(t *testing.T, tags, ldflags string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "ecert-desktop")
	if b, err := exec.Command("go", "build", "-tags", tags, "-ldflags", ldflags, "-o", out, "..").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, b)
	}
	return out
}

// `ecert-desktop update` as a user runs it: a binary stamped as version 1.2.0 with a
// publisher's key (made here, as `make package PUBLISHER_PUB=…` stamps it), against
// ecert-server --release-dir publishing 1.3.0 signed with that key. On
// Linux it announces the release and says to use the package manager; it replaces
// nothing (the swap itself is tested in app/update on a scratch binary).
func TestUpdateCommand(t *testing.T) {
	mod := "github.com/ecert-desktop/ecert-desktop/app/"
	pub, priv, _ := ed25519.GenerateKey(nil)
	stamped := buildStamped(t, "", "-X "+mod+"version.Version=1.2.0 -X "+mod+"update.PublicKey="+release.EncodeKey(pub))
	rel := t.TempDir()
	releasetest.Publish(t, rel, "1.3.0", priv,
		releasetest.Entry{Platform: update.Platform(), Name: "ecert-desktop-1.3.0", Data: []byte("new build")})
	url, _ := startServer(t, "--release-dir", rel)
	data := t.TempDir()
	runAs := func(args ...string) result {
		old := bin.desktop
		bin.desktop = stamped
		defer func() { bin.desktop = old }()
		return run(t, data, "coop\n", nil, args...)
	}

	sum := sha256.Sum256(pub)
	if v := versionOf(t, stamped); !strings.Contains(v, "updates signed by the publisher's key "+hex.EncodeToString(sum[:8])) {
		t.Errorf("version does not name the publisher's key: %q", v)
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

// A build without a publisher key, or stamped with the TEST-ONLY key everyone knows but
// built without the test tag (as a release build is), says plainly that it does not
// update itself, and never asks the server.
func TestUpdateOffWithoutAPublishersKey(t *testing.T) {
	mod := "github.com/ecert-desktop/ecert-desktop/app/"
	testKeyed := buildStamped(t, "", "-X "+mod+"update.PublicKey="+release.TestOnlyPublicKey)
	for _, c := range []struct{ name, exe, says string }{
		{"no key (a plain build)", bin.desktop, "updates off: this build has no publisher key"},
		{"the test-only key without the test tag", testKeyed, "updates off: this build was given the TEST-ONLY key"},
	} {
		data := t.TempDir()
		old := bin.desktop
		bin.desktop = c.exe
		u := run(t, data, "", nil, "update", "--check")
		bin.desktop = old
		var info struct{ Updates string }
		json.Unmarshal([]byte(versionOf(t, c.exe, "--json")), &info)
		if v := versionOf(t, c.exe); !strings.Contains(v, c.says) || !strings.HasPrefix(info.Updates, c.says) {
			t.Errorf("%s: version says %q, --json updates %q; want %q", c.name, v, info.Updates, c.says)
		}
		if u.code != 1 || !strings.Contains(u.stderr, c.says) || !strings.Contains(u.stderr, "does not update itself") {
			t.Errorf("%s: update --check: code %d, stderr %q", c.name, u.code, u.stderr)
		}
	}
}
