package update_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/update"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/release/releasetest"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// These tests run the updater against a real ecert-server serving a release folder
// (--release-dir) signed with the test-only key, and swap a scratch "binary": a shell
// script that prints its version, as `ecert-desktop update --probe` does, followed by
// random bytes that make it large enough to cut mid-download.

const platform = "windows-amd64"

// script is a scratch binary of version v: it prints v and exits with code.
func script(v string, code int, size int) []byte {
	head := "#!/bin/sh\necho " + v + "\nexit " + string(rune('0'+code)) + "\n"
	pad := make([]byte, size)
	rand.Read(pad)
	return append([]byte(head), pad...)
}

// fixture is a server with a release folder, and an installed scratch binary.
type fixture struct {
	srv     *servertest.Server
	rel     string // the server's release folder
	exe     string // the installed binary
	old     []byte // its bytes
	dataDir string // the updater's folder
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{rel: t.TempDir(), dataDir: filepath.Join(t.TempDir(), "updates")}
	f.srv = servertest.StartWith(t, func(c *server.Config) { c.ReleaseDir = f.rel })
	bin := t.TempDir()
	f.exe = filepath.Join(bin, "ecert-desktop.exe")
	f.old = script("1.2.0", 0, 1000)
	if err := os.WriteFile(f.exe, f.old, 0o755); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) updater(server string) *update.Updater {
	return update.New(update.Config{
		Server:    func(context.Context) string { return server },
		PublicKey: releasetest.TestOnlyPublicKey(),
		Current:   "1.2.0", Platform: platform, Dir: f.dataDir, Exe: f.exe, Mode: update.ModeSwap,
	})
}

// unchanged fails unless the binary is the old one and nothing was installed beside it.
func (f *fixture) unchanged(t *testing.T) {
	t.Helper()
	if b, _ := os.ReadFile(f.exe); !bytes.Equal(b, f.old) {
		t.Error("the installed binary changed")
	}
	for _, suffix := range []string{".old", ".new", ".failed"} {
		if _, err := os.Stat(f.exe + suffix); err == nil {
			t.Errorf("%s was left beside the binary", filepath.Base(f.exe+suffix))
		}
	}
	entries, _ := os.ReadDir(f.dataDir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".ready") || e.Name() == "pending.json" {
			t.Errorf("%s was left in the updates folder", e.Name())
		}
	}
}

func codeOf(t *testing.T, err error) string {
	t.Helper()
	var e *update.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want an *update.Error", err)
	}
	return e.Code
}

func TestGoodUpdateApplies(t *testing.T) {
	f := newFixture(t)
	newBin := script("1.3.0", 0, 300<<10)
	releasetest.Publish(t, f.rel, "1.3.0", releasetest.TestOnlyPrivateKey(),
		releasetest.Entry{Platform: platform, Name: "ecert-desktop.exe", Data: newBin},
		releasetest.Entry{Platform: "linux-amd64", Name: "ecert-desktop_1.3.0_amd64.deb", Data: []byte("deb")})
	u := f.updater(f.srv.URL)
	ctx := context.Background()
	offer, err := u.Check(ctx)
	if err != nil || offer.Version != "1.3.0" || offer.File.Name != "ecert-desktop.exe" {
		t.Fatalf("check: got %+v, %v", offer, err)
	}
	if _, err := u.Apply(ctx); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if b, _ := os.ReadFile(f.exe); !bytes.Equal(b, newBin) {
		t.Error("the binary is not the published one")
	}
	if b, _ := os.ReadFile(f.exe + ".old"); !bytes.Equal(b, f.old) {
		t.Error("the old binary was not kept as .old")
	}
	if _, err := os.Stat(filepath.Join(f.dataDir, "pending.json")); err == nil {
		t.Error("the swap is still pending after the new binary started")
	}
	// Now current: the same check has nothing to offer.
	u2 := update.New(update.Config{Server: func(context.Context) string { return f.srv.URL },
		PublicKey: releasetest.TestOnlyPublicKey(), Current: "1.3.0", Platform: platform, Dir: f.dataDir, Exe: f.exe, Mode: update.ModeSwap})
	if _, err := u2.Check(ctx); codeOf(t, err) != api.CodeUpdateCurrent {
		t.Errorf("check after the update: got %v, want update_current", err)
	}
}

// Each bad release is refused with its code, and nothing is replaced.
func TestBadReleasesAreRefused(t *testing.T) {
	good := script("1.3.0", 0, 50<<10)
	entry := releasetest.Entry{Platform: platform, Name: "ecert-desktop.exe", Data: good}
	cases := []struct {
		name    string
		publish func(t *testing.T, dir string)
		code    string
	}{
		{"a wrong signature", func(t *testing.T, dir string) {
			releasetest.Publish(t, dir, "1.3.0", releasetest.OtherPrivateKey(), entry)
		}, api.CodeUpdateSignature},
		{"a manifest changed after signing", func(t *testing.T, dir string) {
			m := releasetest.Publish(t, dir, "1.3.0", releasetest.TestOnlyPrivateKey(), entry)
			m.Version = "1.4.0"
			releasetest.WriteManifest(t, dir, m)
		}, api.CodeUpdateSignature},
		{"a wrong hash (the served file is not the signed one)", func(t *testing.T, dir string) {
			releasetest.Publish(t, dir, "1.3.0", releasetest.TestOnlyPrivateKey(), entry)
			os.WriteFile(filepath.Join(dir, entry.Name), script("6.6.6", 0, 50<<10), 0o644)
		}, api.CodeUpdateHash},
		{"a truncated file on the server", func(t *testing.T, dir string) {
			releasetest.Publish(t, dir, "1.3.0", releasetest.TestOnlyPrivateKey(), entry)
			os.WriteFile(filepath.Join(dir, entry.Name), good[:len(good)/2], 0o644)
		}, api.CodeUpdateHash},
		{"a downgrade", func(t *testing.T, dir string) {
			releasetest.Publish(t, dir, "1.1.9", releasetest.TestOnlyPrivateKey(), entry)
		}, api.CodeUpdateDowngrade},
		{"another platform only", func(t *testing.T, dir string) {
			releasetest.Publish(t, dir, "1.3.0", releasetest.TestOnlyPrivateKey(),
				releasetest.Entry{Platform: "linux-amd64", Name: "ecert-desktop.deb", Data: good})
		}, api.CodeUpdatePlatform},
		{"the same version", func(t *testing.T, dir string) {
			releasetest.Publish(t, dir, "1.2.0", releasetest.TestOnlyPrivateKey(), entry)
		}, api.CodeUpdateCurrent},
		{"nothing published", func(t *testing.T, dir string) {}, api.CodeUpdateCurrent},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			c.publish(t, f.rel)
			u := f.updater(f.srv.URL)
			ctx := context.Background()
			_, err := u.Check(ctx)
			if err == nil {
				_, err = u.Apply(ctx)
			}
			if got := codeOf(t, err); got != c.code {
				t.Errorf("got %s (%v), want %s", got, err, c.code)
			}
			f.unchanged(t)
			if c.code == api.CodeUpdateHash {
				entries, _ := os.ReadDir(f.dataDir)
				if len(entries) != 0 {
					t.Errorf("bytes that are not the publisher's were kept: %v", entries)
				}
			}
		})
	}
}

// A download cut by the network keeps its bytes; the next attempt asks for the rest
// only, and the update applies.
func TestTruncatedDownloadResumes(t *testing.T) {
	f := newFixture(t)
	newBin := script("1.3.0", 0, 400<<10)
	releasetest.Publish(t, f.rel, "1.3.0", releasetest.TestOnlyPrivateKey(),
		releasetest.Entry{Platform: platform, Name: "ecert-desktop.exe", Data: newBin})
	proxy := servertest.NewProxy(t, f.srv.URL)
	u := f.updater(proxy.URL)
	ctx := context.Background()
	if _, err := u.Check(ctx); err != nil {
		t.Fatal(err)
	}
	proxy.AddToxic("cut", "limit_data", "downstream", `"bytes": 150000`)
	if _, err := u.Apply(ctx); codeOf(t, err) != api.CodeUnreachable {
		t.Fatalf("apply through a cut link: got %v, want unreachable", err)
	}
	f.unchanged(t)
	part, _ := filepath.Glob(filepath.Join(f.dataDir, "*.part"))
	if len(part) != 1 {
		t.Fatalf("no partial download kept: %v", part)
	}
	st, _ := os.Stat(part[0])
	if st.Size() == 0 || st.Size() >= int64(len(newBin)) {
		t.Fatalf("partial download of %d bytes, want some of %d", st.Size(), len(newBin))
	}
	proxy.RemoveToxic("cut")
	f.srv.Quiesce() // the cut request's handler may still be writing into the proxy
	before := f.srv.Bytes.Load()
	if _, err := u.Apply(ctx); err != nil {
		t.Fatalf("resumed apply: %v", err)
	}
	resent := f.srv.Bytes.Load() - before
	if want := int64(len(newBin)) - st.Size(); resent > want+1024 {
		t.Errorf("the resume sent %d bytes, want about the %d missing", resent, want)
	}
	t.Logf("cut after %d of %d bytes; the resume sent %d", st.Size(), len(newBin), resent)
	if b, _ := os.ReadFile(f.exe); !bytes.Equal(b, newBin) {
		t.Error("the binary is not the published one after the resume")
	}
}

// A new binary that does not start is rolled back after two attempts.
func TestFailedStartRollsBack(t *testing.T) {
	f := newFixture(t)
	releasetest.Publish(t, f.rel, "1.3.0", releasetest.TestOnlyPrivateKey(),
		releasetest.Entry{Platform: platform, Name: "ecert-desktop.exe", Data: script("1.3.0", 3, 1000)})
	starts := 0
	u := update.New(update.Config{Server: func(context.Context) string { return f.srv.URL },
		PublicKey: releasetest.TestOnlyPublicKey(), Current: "1.2.0", Platform: platform, Dir: f.dataDir, Exe: f.exe, Mode: update.ModeSwap,
		Probe: func(ctx context.Context, exe, want string) error {
			starts++
			return update.ProbeProcess(ctx, exe, want)
		}})
	ctx := context.Background()
	if _, err := u.Check(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := u.Apply(ctx)
	if codeOf(t, err) != api.CodeUpdateFailedStart {
		t.Fatalf("got %v, want update_failed_start", err)
	}
	if starts != update.MaxStartAttempts {
		t.Errorf("the new binary was started %d times, want %d", starts, update.MaxStartAttempts)
	}
	f.unchanged(t)
}

// Where a package manager owns the binary, the update is announced, never applied.
func TestNoticeModeOnlyTells(t *testing.T) {
	f := newFixture(t)
	releasetest.Publish(t, f.rel, "1.3.0", releasetest.TestOnlyPrivateKey(),
		releasetest.Entry{Platform: platform, Name: "ecert-desktop.exe", Data: script("1.3.0", 0, 1000)})
	u := update.New(update.Config{Server: func(context.Context) string { return f.srv.URL },
		PublicKey: releasetest.TestOnlyPublicKey(), Current: "1.2.0", Platform: platform, Dir: f.dataDir, Exe: f.exe, Mode: update.ModeNotice})
	ctx := context.Background()
	if offer, err := u.Check(ctx); err != nil || offer.Version != "1.3.0" {
		t.Fatalf("check: %+v %v", offer, err)
	}
	if _, err := u.Apply(ctx); codeOf(t, err) != api.CodeUpdateManual {
		t.Errorf("apply: got %v, want update_manual", err)
	}
	f.unchanged(t)
	if entries, _ := os.ReadDir(f.dataDir); len(entries) != 0 {
		t.Errorf("the notice downloaded something: %v", entries)
	}
}

// A version that starts confirms a pending swap to itself, and leaves another's alone.
func TestConfirm(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pending.json")
	os.WriteFile(path, []byte(`{"version":"1.3.0","exe":"x","attempts":1}`), 0o600)
	update.Confirm(dir, "1.2.0")
	if _, err := os.Stat(path); err != nil {
		t.Fatal("the old version confirmed the new one's swap")
	}
	update.Confirm(dir, "1.3.0")
	if _, err := os.Stat(path); err == nil {
		t.Error("the new version did not confirm its swap")
	}
	update.Confirm(dir, "1.3.0") // nothing pending: nothing to do
}
