package trail_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/app/store/trail"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

const now = "2026-11-27T10:00:00Z"

// replica opens a replica logged in as user, holding one NC awaiting a CA.
func replica(t *testing.T, user string) (*store.Store, string) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	s, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	sess, _ := json.Marshal(api.Session{User: api.User{Username: user, Role: api.RoleClient, OrgID: "ORG-1"}})
	if err := s.SetMeta(ctx, store.MetaSession, string(sess)); err != nil {
		t.Fatal(err)
	}
	nc := api.NC{ID: "NC-167140-2019", Stage: api.StageCARequested, Revision: 3}
	data, _ := json.Marshal(nc)
	page := api.ChangesPage{Cursor: "1", Changes: []api.Change{{Entity: api.EntityNC, ID: nc.ID, Op: api.OpUpsert, Data: data}}}
	if err := s.ApplyPage(ctx, page, now); err != nil {
		t.Fatal(err)
	}
	return s, dir
}

// raw opens a second connection to the replica's file, as a person with sqlite3 would.
func raw(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, store.FileName)+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func all(t *testing.T, l *trail.Log) []api.TrailEntry {
	t.Helper()
	got, err := l.Entries(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestEveryChangeIsChainedWithItsAuthor(t *testing.T) {
	ctx := context.Background()
	s, _ := replica(t, "marie")
	nc := "NC-167140-2019"
	steps := []func() error{
		func() error { _, err := s.Work.Autosave(ctx, nc, "Former", now); return err }, // local only: no entry
		func() error { _, err := s.Work.SaveDraft(ctx, nc, "Former les travailleurs", now); return err },
		func() error { _, err := s.Work.SetReady(ctx, nc, "Former les travailleurs", true, 3, now); return err },
		func() error { _, err := s.Work.QueueMessage(ctx, nc, "Bonjour", now); return err },
		func() error { _, err := s.Work.QueueReady(ctx, now); return err },
		func() error { _, err := s.Work.SetReady(ctx, nc, "Former les travailleurs", false, 3, now); return err },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	got := all(t, s.Trail)
	var kinds []string
	for _, e := range got {
		kinds = append(kinds, e.Kind)
		if e.Author != "marie" || e.NCID != nc {
			t.Errorf("entry %d: author %q nc %q, want marie and %s", e.Seq, e.Author, e.NCID, nc)
		}
	}
	// SetReady saves the text as a draft too while the server has not confirmed it.
	want := []string{api.KindCADraft, "ca.ready", api.KindCADraft, api.KindMessage, api.KindCASubmit, "ca.unready", api.KindCADraft}
	if len(kinds) != len(want) {
		t.Fatalf("kinds = %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("kinds = %v, want %v", kinds, want)
		}
	}
	if p := trail.CheckChain(got); p != nil {
		t.Fatalf("untouched chain: %v", p)
	}
	forNC, err := s.Trail.ForNC(ctx, nc)
	if err != nil || len(forNC) != len(want) {
		t.Fatalf("ForNC: %d entries, %v", len(forNC), err)
	}
}

// A kind the app does not know yet is chained like the others: the hook is the outbox
// itself, not a list of kinds.
func TestAnOutboxEntryOfANewKindIsChainedInItsTransaction(t *testing.T) {
	ctx := context.Background()
	s, dir := replica(t, "marie")
	db := raw(t, dir)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox(kind, nc_id, text, created_at) VALUES ('nc.assign', 'NC-1', 'paul', ?)`, now); err != nil {
		t.Fatal(err)
	}
	if err := trail.Seal(ctx, tx); err != nil {
		t.Fatal(err)
	}
	tx.Rollback() // the change goes, and its entry with it
	if got := all(t, s.Trail); len(got) != 0 {
		t.Fatalf("a rolled back change left %d entries", len(got))
	}
	tx, _ = db.BeginTx(ctx, nil)
	tx.ExecContext(ctx, `INSERT INTO outbox(kind, nc_id, text, created_at) VALUES ('nc.assign', 'NC-1', 'paul', ?)`, now)
	if err := trail.Seal(ctx, tx); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	got := all(t, s.Trail)
	if len(got) != 1 || got[0].Kind != "nc.assign" || got[0].Author != "marie" || got[0].Prev != api.TrailGenesis {
		t.Fatalf("entries = %+v", got)
	}
	if got[0].Digest != api.TrailDigest("nc.assign", "NC-1", "paul", "0", "", "") {
		t.Errorf("digest %s is not that of the entry's content", got[0].Digest)
	}
}

func TestAnEditedRowIsNamed(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, edit string
		seq        int64
		reason     string
	}{
		// The author rewritten: the row no longer hashes to its hash.
		{"author", `UPDATE trail SET author = 'paul' WHERE seq = 2`, 2, trail.ReasonHash},
		// Rewritten with its hash too: the next entry's link no longer holds.
		{"rehashed", `UPDATE trail SET kind = 'message', hash = '` + api.TrailGenesis + `' WHERE seq = 2`, 2, trail.ReasonHash},
		// An entry removed.
		{"deleted", `DELETE FROM trail WHERE seq = 2`, 2, trail.ReasonGap},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, dir := replica(t, "marie")
			for _, text := range []string{"un", "deux", "trois"} {
				if _, err := s.Work.QueueMessage(ctx, "NC-167140-2019", text, now); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := raw(t, dir).ExecContext(ctx, tc.edit); err != nil {
				t.Fatal(err)
			}
			p := trail.CheckChain(all(t, s.Trail))
			if p == nil || p.Seq != tc.seq || p.Reason != tc.reason {
				t.Fatalf("got %v, want entry %d (%s)", p, tc.seq, tc.reason)
			}
		})
	}
}
