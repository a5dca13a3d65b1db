package app_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/proxyprefs"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client/proxytest"
	"github.com/ecert-desktop/ecert-desktop/sync/engine"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

func TestProxyFromSettingsCarriesLoginAndSync(t *testing.T) {
	srv := servertest.Start(t)
	px := proxytest.StartWithAuth(t, "office", "pr0xy-pass")
	dir := t.TempDir()
	a := newApp(t, dir, &recorder{})

	// Set before logging in: the login itself goes through the proxy.
	prefs, err := a.Settings.SetProxy(proxyprefs.Input{Mode: "manual", URL: strings.TrimPrefix(px.URL, "http://"), User: "office", Password: "pr0xy-pass"})
	if err != nil {
		t.Fatal(err)
	}
	if prefs.Source != "settings" || prefs.URL != px.URL || !prefs.HasPassword {
		t.Errorf("proxy settings: got %+v", prefs)
	}
	if _, err := a.Session.Login(srv.URL, "coop", "coop"); err != nil {
		t.Fatalf("login through the proxy: %v", err)
	}
	eventually(t, "the first sync through the proxy", func() bool {
		s := a.Sync.Status()
		return s.LastSync != "" && !s.Syncing
	})
	if px.Forwarded.Load() < 2 {
		t.Errorf("the proxy forwarded %d requests, want the login and the sync", px.Forwarded.Load())
	}

	// The password is in the vault (here the private file), never in the replica.
	raw, _ := a.Store().Meta(context.Background(), "proxy.settings")
	if strings.Contains(raw, "pr0xy-pass") || !strings.Contains(raw, "office") {
		t.Errorf("the replica keeps %q", raw)
	}
	if fi, err := os.Stat(filepath.Join(dir, "proxy.secret")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the password's private file: %v %v", fi, err)
	}

	// Keeping the password while changing nothing else keeps it working.
	if _, err := a.Settings.SetProxy(proxyprefs.Input{Mode: "manual", URL: px.URL, User: "office", KeepPassword: true}); err != nil {
		t.Fatal(err)
	}
	before := px.Forwarded.Load()
	if err := a.Sync.SyncNow(); err != nil {
		t.Fatal(err)
	}
	eventually(t, "a sync with the kept password", func() bool { return px.Forwarded.Load() > before })

	// A wrong password: the running sync says proxy_auth, in plain words in the UI.
	if _, err := a.Settings.SetProxy(proxyprefs.Input{Mode: "manual", URL: px.URL, User: "office", Password: "wrong"}); err != nil {
		t.Fatal(err)
	}
	a.Sync.SyncNow()
	eventually(t, "the proxy_auth error", func() bool { return a.Sync.Status().LastError == api.CodeProxyAuth })

	// An invalid address is refused and changes nothing.
	_, err = a.Settings.SetProxy(proxyprefs.Input{Mode: "manual", URL: "ftp://nowhere"})
	var ce *app.CodeError
	if !errors.As(err, &ce) || ce.Code != api.CodeInvalidProxy {
		t.Errorf("invalid address: got %v, want invalid_proxy", err)
	}
	if got := a.Settings.Proxy(); got.URL != px.URL || got.User != "office" {
		t.Errorf("a refused change changed the settings: %+v", got)
	}

	// Direct: the proxy sees nothing more, and the password is forgotten.
	prefs, err = a.Settings.SetProxy(proxyprefs.Input{Mode: "none"})
	if err != nil || prefs.Source != "direct" || prefs.HasPassword {
		t.Fatalf("direct: %+v, %v", prefs, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "proxy.secret")); !os.IsNotExist(err) {
		t.Errorf("the proxy's password outlived its settings: %v", err)
	}
	eventually(t, "a direct sync", func() bool {
		a.Sync.SyncNow()
		s := a.Sync.Status()
		return s.LastError == "" && s.Online
	})
}

// An evidence upload through the proxy, cut when the app quits, resumes through it.
func TestEvidenceUploadThroughTheProxyResumesAfterTheAppQuits(t *testing.T) {
	srv := servertest.Start(t)
	px := proxytest.StartWithAuth(t, "office", "pr0xy-pass")
	dir := t.TempDir()
	a := app.New(app.Config{DataDir: dir, Platform: &recorder{}, Manual: true})
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Settings.SetProxy(proxyprefs.Input{Mode: "manual", URL: px.URL, User: "office", Password: "pr0xy-pass"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Session.Login(srv.URL, "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	const size = 6 << 20
	path, sum := randomFile(t, size, 21)
	attachTo(t, a, ncEvidence, path)
	ctx, cancel := context.WithCancel(context.Background())
	if err := a.SyncOnce(ctx, nil, func(p engine.Progress) {
		if p.Done >= 2<<20 {
			cancel()
		}
	}); err == nil {
		t.Fatal("the sync finished before it was cancelled")
	}
	a.Close()
	first := px.Bytes.Load()

	b := app.New(app.Config{DataDir: dir, Platform: &recorder{}, Manual: true})
	if err := b.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.SyncOnce(context.Background(), nil, nil); err != nil {
		t.Fatalf("sync after the restart: %v", err)
	}
	if rest := px.Bytes.Load() - first; rest > size-1<<20 || rest < size-first {
		t.Errorf("after the restart the proxy carried %d bytes of a %d-byte file (%d before): it did not resume through it", rest, size, first)
	}
	if !serverHas(t, srv, ncEvidence, sum) {
		t.Error("the file is not on the server after resuming through the proxy")
	}
}
