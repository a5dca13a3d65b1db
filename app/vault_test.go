package app_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// replicaHolds reports whether the replica's files contain s.
func replicaHolds(t *testing.T, dir, s string) bool {
	t.Helper()
	for _, name := range []string{store.FileName, store.FileName + "-wal"} {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err == nil && bytes.Contains(raw, []byte(s)) {
			return true
		}
	}
	return false
}

func TestTokensLiveInAPrivateFileWithoutAKeyring(t *testing.T) {
	srv := servertest.Start(t)
	dir := t.TempDir()
	a := manualApp(t, dir, srv.URL)
	if st := a.Session.State(); st.TokenStore != app.VaultFile {
		t.Errorf("token store: %q, want file", st.TokenStore)
	}
	info, err := os.Stat(filepath.Join(dir, "session.token"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v, want 0600", info.Mode().Perm())
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "session.token"))
	if replicaHolds(t, dir, string(raw[12:40])) {
		t.Error("the replica holds the login's token")
	}
	if err := a.Session.Logout(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "session.token")); !os.IsNotExist(err) {
		t.Errorf("the token file outlived the logout: %v", err)
	}
}

func TestTokensGoToTheKeyringWhereThereIsOne(t *testing.T) {
	keyring.MockInit() // the OS keyring is the OS boundary: an in-memory one here
	srv := servertest.Start(t)
	dir := t.TempDir()
	ctx := context.Background()
	a := app.New(app.Config{DataDir: dir, Platform: &recorder{}, Manual: true, Keyring: true})
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	s, err := a.Session.Login(srv.URL, "coop", "coop")
	if err != nil {
		t.Fatal(err)
	}
	if s.TokenStore != app.VaultKeyring {
		t.Errorf("token store: %q, want keyring", s.TokenStore)
	}
	if _, err := os.Stat(filepath.Join(dir, "session.token")); !os.IsNotExist(err) {
		t.Error("a token file was written although the keyring took the login")
	}
	a.Close()
	// After a restart the login is read back from the keyring.
	b := app.New(app.Config{DataDir: dir, Platform: &recorder{}, Manual: true, Keyring: true})
	if err := b.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.SyncOnce(ctx, nil, nil); err != nil {
		t.Fatalf("sync with the login from the keyring: %v", err)
	}
}
