package store

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// TestEmptyPageKeepsDecodedNCs: the empty page of an idle sync leaves the decoded NCs
// valid; a page that brings a change invalidates them.
func TestEmptyPageKeepsDecodedNCs(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	data, _ := json.Marshal(api.NC{ID: "NC-1", Stage: api.StageCARequested, Revision: 1})
	nc := api.ChangesPage{Cursor: "1", Changes: []api.Change{{Seq: 1, Entity: api.EntityNC, ID: "NC-1", Op: api.OpUpsert, Data: data}}}
	gen := s.db.ncGen.Load()
	if err := s.ApplyPage(ctx, nc, "2026-12-05T10:00:00Z"); err != nil {
		t.Fatal(err)
	}
	if s.db.ncGen.Load() == gen {
		t.Fatal("a page with an NC left the decoded NCs valid")
	}
	gen = s.db.ncGen.Load()
	if err := s.ApplyPage(ctx, api.ChangesPage{Cursor: "1"}, "2026-12-05T10:05:00Z"); err != nil {
		t.Fatal(err)
	}
	if s.db.ncGen.Load() != gen {
		t.Error("an empty page invalidated the decoded NCs")
	}
	if v, _ := s.Meta(ctx, MetaLastSync); v != "2026-12-05T10:05:00Z" {
		t.Errorf("last sync %q", v)
	}
}
