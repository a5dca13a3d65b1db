package app_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// A damaged replica is moved aside, never deleted; the corrective measures being written
// come back as drafts, everything unsent is exported, and the replica is rebuilt from
// the server.
func TestDamagedReplicaIsMovedAsideRecoveredAndRebuilt(t *testing.T) {
	srv := servertest.Start(t)
	dir := t.TempDir()
	ctx := context.Background()
	a := manualApp(t, dir, srv.URL)
	const text = "Former les travailleurs à la prime, texte tapé hors ligne"
	if _, err := a.CA.Autosave("NC-167140-2019", text); err != nil {
		t.Fatal(err)
	}
	if err := a.Outbox.Message("NC-167140-2019", "Message jamais envoyé"); err != nil {
		t.Fatal(err)
	}
	a.Close()

	// Damage the pages of the synced NCs, as a failing disk would: those can be rebuilt
	// from the server; the pages of the user's own work are intact and must be read.
	dbPath := filepath.Join(dir, store.FileName)
	page, size := tablePage(t, dbPath, "nc")
	f, err := os.OpenFile(dbPath, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte(strings.Repeat("\xde\xad\xbe\xef", int(size)/4)), (page-1)*size)
	f.Close()

	b := app.New(app.Config{DataDir: dir, Platform: &recorder{}, Manual: true})
	if err := b.Start(ctx); err != nil {
		t.Fatalf("start on a damaged replica: %v", err)
	}
	defer b.Close()
	rec := b.Session.State().Recovery
	if rec == nil {
		t.Fatal("no recovery reported: was the damage noticed?")
	}
	if _, err := os.Stat(filepath.Join(rec.Folder, store.FileName)); err != nil {
		t.Errorf("the damaged replica was not kept: %v", err)
	}
	t.Logf("recovery: %+v", rec)
	if raw, err := os.ReadFile(filepath.Join(rec.Folder, "unreadable.txt")); err == nil {
		t.Logf("%s", raw)
	}
	raw, err := os.ReadFile(rec.Export)
	if err != nil {
		t.Fatalf("no export of the unsent work: %v", err)
	}
	var exported map[string]any
	if err := json.Unmarshal(raw, &exported); err != nil {
		t.Errorf("export is not JSON: %v", err)
	}
	if !strings.Contains(string(raw), "Message jamais envoy") || rec.Unsent != 1 {
		t.Errorf("the unsent message is not in the export (%d unsent):\n%s", rec.Unsent, raw)
	}
	if !rec.LoggedIn || rec.Restored != 1 {
		t.Fatalf("login carried over %v, CAs restored %d; want true, 1", rec.LoggedIn, rec.Restored)
	}
	// Rebuilt from the server, with the CA back as a draft to confirm.
	syncNow(t, b)
	if _, err := b.Portal.NC("NC-150424-2019"); err != nil {
		t.Errorf("the rebuilt replica lacks the organisation's NCs: %v", err)
	}
	d, _ := b.Portal.NC("NC-167140-2019")
	if d.Local == nil || d.Local.Text != text || d.Local.Ready || d.Local.Queued {
		t.Errorf("the corrective measure was not restored as a draft: %+v", d.Local)
	}
}

// tablePage returns the root page of a table and the page size of an SQLite file.
func tablePage(t *testing.T, path, table string) (int64, int64) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var page, size int64
	if err := db.QueryRow(`SELECT rootpage FROM sqlite_master WHERE name = ?`, table).Scan(&page); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`PRAGMA page_size`).Scan(&size); err != nil {
		t.Fatal(err)
	}
	return page, size
}
