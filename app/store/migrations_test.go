package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// A replica written before the files' hashes were indexed (schema 5) finds the files its
// records reference once migrated: the index covers the rows it already held.
func TestFileIndexCoversRowsFromBeforeIt(t *testing.T) {
	ctx := context.Background()
	const sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	file := `"file":{"sha256":"` + sha + `","name":"photo.jpg","size":3,"media_type":"image/jpeg"}`
	s := openMigratedFrom(t, 5, `INSERT INTO evidence(id, data) VALUES
		('E-1', '{"id":"E-1","nc_id":"NC-1",`+file+`}'), ('E-2', '{"id":"E-2","nc_id":"NC-1",`+file+`}')`)
	got, err := s.MissingFiles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].SHA256 != sha || got[0].Name != "photo.jpg" || got[0].Size != 3 || got[0].MediaType != "image/jpeg" {
		t.Errorf("missing files after the migration: got %+v, want photo.jpg once", got)
	}
	ref, err := s.Files.Ref(ctx, sha)
	if err != nil || ref.Name != "photo.jpg" {
		t.Errorf("file reference after the migration: got %+v, %v", ref, err)
	}
}

// A replica that kept a colleague's sent file as its own "attached" one (schema 6) no
// longer counts it once migrated; a file not sent yet, and one still uploading, stay.
func TestMigrationForgetsFilesAColleagueSent(t *testing.T) {
	ctx := context.Background()
	const sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	s := openMigratedFrom(t, 6,
		`INSERT INTO evidence(id, data) VALUES ('E-sent', '{"id":"E-sent","nc_id":"NC-1","submitted":true}'),
			('E-kept', '{"id":"E-kept","nc_id":"NC-1"}')`,
		`INSERT INTO evidence_local(id, nc_id, sha256, name, size, media_type, state, added_at) VALUES
			('E-sent', 'NC-1', '`+sha+`', 'a.pdf', 1, 'application/pdf', 'attached', '2026-12-01T00:00:00Z'),
			('E-kept', 'NC-1', '`+sha+`', 'b.pdf', 1, 'application/pdf', 'attached', '2026-12-01T00:00:00Z'),
			('E-new', 'NC-1', '`+sha+`', 'c.pdf', 1, 'application/pdf', 'local', '2026-12-01T00:00:00Z')`,
	)
	local, err := s.Evidence.Local(ctx, "NC-1")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range local {
		ids = append(ids, l.ID+" "+l.State)
	}
	if len(ids) != 2 || ids[0] != "E-kept attached" || ids[1] != "E-new local" {
		t.Errorf("local evidence after the migration: %v, want [E-kept attached, E-new local]", ids)
	}
}

// A replica from before the kept counts (schema 15) counts the rows it already held
// once migrated, and every entity has its count.
func TestCountsCoverRowsFromBeforeThem(t *testing.T) {
	ctx := context.Background()
	s := openMigratedFrom(t, 15, `INSERT INTO message(id, data) VALUES ('M-1', '{}'), ('M-2', '{}'), ('M-3', '{}')`,
		`INSERT INTO nc(id, data) VALUES ('NC-1', '{}')`)
	got, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got["message"] != 3 || got["nc"] != 1 || got["audit"] != 0 {
		t.Errorf("counts after the migration: %v, want 3 messages, 1 NC, no audit", got)
	}
}

// openMigratedFrom makes a replica at schema version, writes rows with the statements
// seed (as a replica of that version held them), then opens it as the app does, which
// migrates it to the latest schema; the store is closed when the test ends.
func openMigratedFrom(t *testing.T, version int, seed ...string) *Store {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	all, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if err := applyMigrations(ctx, db, all[:version]); err != nil {
		t.Fatal(err)
	}
	for _, q := range seed {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
