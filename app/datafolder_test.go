package app_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/store"
)

const ncCA = "NC-167140-2019" // the demo NC awaiting a corrective measure

// checkDataFolder checks a data folder no process uses: the replica opens and passes
// SQLite's full integrity check; every file of the content store under a hash name
// holds bytes with that hash; every file the replica records as present is there, whole;
// and nothing was taken for damaged and moved aside.
func checkDataFolder(t *testing.T, data string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, data)
	if err != nil {
		t.Fatalf("the replica does not open: %v", err)
	}
	st.Close()
	if moved, _ := filepath.Glob(filepath.Join(data, "damaged-*")); len(moved) > 0 {
		t.Errorf("the replica was taken for damaged and moved aside: %v", moved)
	}
	// Read-write, as the app opens it: the last connection's close folds the WAL into the
	// database and deletes it, as the app's own close does.
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(data, store.FileName)+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var result string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&result); err != nil || result != "ok" {
		t.Errorf("integrity check: %q %v", result, err)
	}
	files := filepath.Join(data, "files")
	filepath.WalkDir(files, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(files, path)
		dir, name := filepath.Split(rel)
		if len(name) != 64 || dir != name[:2]+string(filepath.Separator) {
			return nil // not under a hash name: temporary files, partial downloads, thumbnails
		}
		if got := hashFile(t, path); got != name {
			t.Errorf("%s holds bytes of hash %s", rel, got)
		}
		return nil
	})
	rows, err := db.Query(`SELECT sha256, size FROM blob`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var sha string
		var size int64
		if err := rows.Scan(&sha, &size); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(filepath.Join(files, sha[:2], sha)); err != nil || fi.Size() != size {
			t.Errorf("file %s is recorded as present (%d bytes) but is not there whole: %v", sha, size, err)
		}
	}
	var orphans int
	if err := db.QueryRow(`SELECT COUNT(*) FROM evidence_local e WHERE NOT EXISTS
		(SELECT 1 FROM blob b WHERE b.sha256 = e.sha256)`).Scan(&orphans); err != nil || orphans > 0 {
		t.Errorf("%d evidence files attached without their content (%v)", orphans, err)
	}
}

func hashFile(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}
