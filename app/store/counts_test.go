package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// wantCounted checks the kept counts against COUNT(*) of every entity's table.
func wantCounted(t *testing.T, s *store.Store, when string) {
	t.Helper()
	ctx := context.Background()
	got, err := s.Counts(ctx)
	if err != nil {
		t.Fatalf("%s: %v", when, err)
	}
	for _, e := range api.Entities {
		var n int
		if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM `+e).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if c, ok := got[e]; !ok || c != n {
			t.Errorf("%s: %s counted %d (present %v), its table holds %d", when, e, c, ok, n)
		}
	}
}

// The counts every sync prints are kept by the replica as rows come and go, whatever
// writes them: pages of new rows (more than one statement's batch), updates of rows it
// holds, deletions, a page refused whole, the reset.
func TestCountsFollowEveryWrite(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir())
	wantCounted(t, s, "empty replica")

	var first []api.Change
	for i := range 250 {
		id := fmt.Sprintf("M-%d", i)
		first = append(first, change(t, api.EntityMessage, id, api.Message{ID: id, NCID: "NC-1", Body: "hello"}))
	}
	first = append(first,
		change(t, api.EntityAudit, "AO-1", api.Audit{ID: "AO-1"}),
		change(t, api.EntityNC, "NC-1", api.NC{ID: "NC-1", AuditID: "AO-1", Stage: api.StageCARequested}),
		change(t, api.EntityNC, "NC-2", api.NC{ID: "NC-2", AuditID: "AO-1", Stage: api.StageCARequested}))
	if err := s.ApplyPage(ctx, api.ChangesPage{Cursor: "1", Changes: first}, "2026-12-06T01:00:00Z"); err != nil {
		t.Fatal(err)
	}
	wantCounted(t, s, "first page")
	if got, _ := s.Counts(ctx); got[api.EntityMessage] != 250 || got[api.EntityNC] != 2 {
		t.Errorf("after the first page: %d messages, %d NCs; want 250 and 2", got[api.EntityMessage], got[api.EntityNC])
	}

	// Updates of rows held (one twice in the page), a new one, deletions.
	next := api.ChangesPage{Cursor: "2", Changes: []api.Change{
		change(t, api.EntityNC, "NC-1", api.NC{ID: "NC-1", AuditID: "AO-1", Stage: api.StageCASubmitted}),
		change(t, api.EntityMessage, "M-0", api.Message{ID: "M-0", NCID: "NC-1", Body: "edited"}),
		change(t, api.EntityMessage, "M-0", api.Message{ID: "M-0", NCID: "NC-1", Body: "edited again"}),
		change(t, api.EntityMessage, "M-new", api.Message{ID: "M-new", NCID: "NC-2", Body: "new"}),
		{Entity: api.EntityMessage, ID: "M-1", Op: api.OpDelete},
		{Entity: api.EntityMessage, ID: "M-absent", Op: api.OpDelete},
		{Entity: api.EntityNC, ID: "NC-2", Op: api.OpDelete},
	}}
	if err := s.ApplyPage(ctx, next, "2026-12-06T01:01:00Z"); err != nil {
		t.Fatal(err)
	}
	wantCounted(t, s, "updates and deletions")

	// A page refused whole changes no count.
	bad := api.ChangesPage{Cursor: "3", Changes: []api.Change{
		change(t, api.EntityMessage, "M-refused", api.Message{ID: "M-refused"}),
		{Entity: api.EntityNC, ID: "NC-9", Op: api.OpUpsert, Data: json.RawMessage(`{"id":`)},
	}}
	if err := s.ApplyPage(ctx, bad, "2026-12-06T01:02:00Z"); err == nil {
		t.Fatal("a page with invalid data was applied")
	}
	wantCounted(t, s, "refused page")

	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	wantCounted(t, s, "reset")
	if got, _ := s.Counts(ctx); got[api.EntityMessage] != 0 {
		t.Errorf("messages after the reset: %d, want 0", got[api.EntityMessage])
	}
}
