package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store/postgres"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store/postgres/pgtest"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store/storetest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := postgres.Open(context.Background(), pgtest.Database(t), 0)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestNodesStartAtOnce: servers opening one new database together migrate it once;
// every one of them ends on the current schema, the first alone reports it created.
func TestNodesStartAtOnce(t *testing.T) {
	url := pgtest.Database(t)
	const nodes = 4
	stores := make([]*postgres.Store, nodes)
	errs := make([]error, nodes)
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Go(func() { stores[i], errs[i] = postgres.Open(context.Background(), url, 2) })
	}
	wg.Wait()
	created := 0
	for i, s := range stores {
		if errs[i] != nil {
			t.Fatalf("node %d: %v", i, errs[i])
		}
		defer s.Close()
		if s.Created() {
			created++
		}
	}
	if created != 1 {
		t.Errorf("%d of %d nodes report they created the schema, want 1", created, nodes)
	}
	// Each node works on the shared schema.
	if err := stores[0].CreateOrg(context.Background(), "100", "Org 100"); err != nil {
		t.Fatal(err)
	}
	if orgs, err := stores[nodes-1].Orgs(context.Background()); err != nil || len(orgs) != 1 {
		t.Errorf("Orgs on another node: got %+v, %v", orgs, err)
	}
}

// TestKeysPostgreSQLCannotHold: PostgreSQL refuses NUL and invalid UTF-8 in TEXT where
// SQLite stores any bytes. A look-up by such a key is not found, as on SQLite, and
// leaves the transaction it runs in usable.
func TestKeysPostgreSQLCannotHold(t *testing.T) {
	ctx := context.Background()
	s, err := postgres.Open(ctx, pgtest.Database(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.CreateOrg(ctx, "100", "Org 100"); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"a\x00b", "\xff\xfe"} {
		if _, err := s.User(ctx, key); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("User(%q): got %v, want store.ErrNotFound", key, err)
		}
		if _, err := s.Entity(ctx, "100", api.EntityNC, key); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Entity(%q): got %v, want store.ErrNotFound", key, err)
		}
		if _, err := s.Upload(ctx, key); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Upload(%q): got %v, want store.ErrNotFound", key, err)
		}
		err := s.Update(ctx, "100", func(tx store.Tx) error {
			if _, err := tx.Entity(api.EntityNC, key); !errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("Tx.Entity: got %v, want store.ErrNotFound", err)
			}
			if last, err := tx.LastPushSeq(key); err != nil || last != 0 {
				return fmt.Errorf("Tx.LastPushSeq: got %d, %v", last, err)
			}
			if err := tx.AddEvent(store.Event{NCID: key, Action: "push rejected", Detail: key}); err != nil {
				return fmt.Errorf("AddEvent: %w", err)
			}
			// The transaction goes on.
			return tx.Write(store.EntityWrite{Entity: api.EntityNC, ID: "NC-1", Visible: true,
				Encode: func(int64) (json.RawMessage, error) { return json.RawMessage(`{}`), nil }})
		})
		if err != nil {
			t.Errorf("key %q: %v", key, err)
		}
	}
	if evs, err := s.Events(ctx, "100", ""); err != nil || len(evs) != 2 || evs[0].NCID != "a\uFFFDb" {
		t.Errorf("Events: got %+v, %v; want both, NUL recorded as U+FFFD", evs, err)
	}
}

// TestUpdateOfUnknownOrganisation: fn runs, as on SQLite, and its writes fail.
func TestUpdateOfUnknownOrganisation(t *testing.T) {
	ctx := context.Background()
	s, err := postgres.Open(ctx, pgtest.Database(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, visible := range []bool{true, false} {
		err := s.Update(ctx, "nowhere", func(tx store.Tx) error {
			return tx.Write(store.EntityWrite{Entity: api.EntityNC, ID: "NC-1", Visible: visible,
				Encode: func(int64) (json.RawMessage, error) { return json.RawMessage(`{}`), nil }})
		})
		if err == nil {
			t.Errorf("a write (visible %v) in an Update of an unknown organisation succeeded", visible)
		}
	}
}

// TestOneWriteOfAnEntityTwice: the writes of one call are applied in order, each on
// the state the one before left (the store reads the state of them all at once).
func TestOneWriteOfAnEntityTwice(t *testing.T) {
	ctx := context.Background()
	s, err := postgres.Open(ctx, pgtest.Database(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.CreateOrg(ctx, "100", "Org 100"); err != nil {
		t.Fatal(err)
	}
	put := func(id, text string, visible bool) store.EntityWrite {
		return store.EntityWrite{Entity: api.EntityNC, ID: id, Visible: visible,
			Encode: func(rev int64) (json.RawMessage, error) {
				return json.Marshal(map[string]any{"rev": rev, "text": text})
			}}
	}
	del := store.EntityWrite{Entity: api.EntityNC, ID: "NC-2", Delete: true}
	err = s.Write(ctx, "100", []store.EntityWrite{
		put("NC-1", "a", true), put("NC-1", "b", true), put("NC-1", "c", true),
		put("NC-2", "x", true), del, // the change log had NC-2: a tombstone
		put("NC-3", "y", false), put("NC-3", "z", true),
	})
	if err != nil {
		t.Fatal(err)
	}
	if rec, err := s.Entity(ctx, "100", api.EntityNC, "NC-1"); err != nil || rec.Revision != 3 || string(rec.Data) != `{"rev":3,"text":"c"}` {
		t.Errorf("NC-1: got %+v %s, %v; want revision 3, text c", rec, rec.Data, err)
	}
	if _, err := s.Entity(ctx, "100", api.EntityNC, "NC-2"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("NC-2 after its delete: %v", err)
	}
	ch, err := s.Changes(ctx, "100", 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range ch {
		got = append(got, fmt.Sprintf("%s %s %d", c.ID, c.Op, c.Seq))
	}
	// Seqs 1–3 are NC-1's, replaced; 4 was NC-2's, whose delete left a tombstone (5)
	// since the change log had it; NC-3 hidden (no change), then shown (6).
	want := []string{"NC-1 upsert 3", "NC-2 delete 5", "NC-3 upsert 6"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("changes: got %v, want %v", got, want)
	}
}
