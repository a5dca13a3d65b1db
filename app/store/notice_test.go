package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// The first sync of a large organisation takes many pages; all of them are the past, not
// news. Only what arrives once the replica caught up becomes a notice.
func TestFirstSyncOverManyPagesMakesNoNotices(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir())
	nc := api.NC{ID: "NC-1", Stage: api.StageCARequested, Revision: 1}
	message := func(n int) api.Change {
		m := api.Message{ID: fmt.Sprintf("MSG-%d", n), NCID: nc.ID, AuthorRole: api.RoleAnalyst, Body: "Question"}
		return change(t, api.EntityMessage, m.ID, m)
	}
	pages := []api.ChangesPage{
		{Cursor: "2", More: true, Changes: []api.Change{change(t, api.EntityNC, nc.ID, nc), message(1)}},
		{Cursor: "3", More: true, Changes: []api.Change{message(2)}},
		{Cursor: "4", Changes: []api.Change{message(3)}},
	}
	for _, p := range pages {
		if err := s.ApplyPage(ctx, p, now); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := s.Portal.Notices(ctx); n[nc.ID] != 0 {
		t.Fatalf("%d notices after the first sync, want none", n[nc.ID])
	}
	if err := s.ApplyPage(ctx, api.ChangesPage{Cursor: "5", Changes: []api.Change{message(4)}}, now); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Portal.Notices(ctx); n[nc.ID] != 1 {
		t.Fatalf("%d notices after a new message, want 1", n[nc.ID])
	}
	// After a reset (another organisation), the next sync is a first one again.
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	for _, p := range pages[:2] {
		if err := s.ApplyPage(ctx, api.ChangesPage{Cursor: p.Cursor, More: true, Changes: []api.Change{message(10 + len(p.Changes))}}, now); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := s.Portal.Notices(ctx); n[nc.ID] != 1 {
		t.Fatalf("%d notices after a reset and two pages of the past, want the 1 from before", n[nc.ID])
	}
}

// Upserts are written a batch at a time; an item that comes twice in one page is still
// seen as it stood before each change: two decisions, one message notice, and the last
// version kept.
func TestAPageThatChangesAnItemTwiceSeesEachChange(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir())
	nc := api.NC{ID: "NC-1", Stage: api.StageCARequested, Revision: 1}
	if err := s.ApplyPage(ctx, api.ChangesPage{Cursor: "1", Changes: []api.Change{change(t, api.EntityNC, nc.ID, nc)}}, now); err != nil {
		t.Fatal(err)
	}
	returned, closed := nc, nc
	returned.Stage, returned.Revision = api.StageCAReturned, 2
	closed.Stage, closed.Revision = api.StageClosed, 3
	m := api.Message{ID: "MSG-1", NCID: nc.ID, AuthorRole: api.RoleAnalyst, Body: "Question"}
	page := api.ChangesPage{Cursor: "2", Changes: []api.Change{
		change(t, api.EntityMessage, m.ID, m),
		change(t, api.EntityMessage, m.ID, m),
		change(t, api.EntityNC, nc.ID, returned),
		change(t, api.EntityNC, nc.ID, closed),
	}}
	if err := s.ApplyPage(ctx, page, now); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Portal.Notices(ctx); n[nc.ID] != 3 {
		t.Errorf("%d notices, want 3 (two decisions, one message)", n[nc.ID])
	}
	got, err := s.Portal.NC(ctx, nc.ID)
	if err != nil || got.Stage != api.StageClosed {
		t.Errorf("NC after the page: %+v, %v; want stage %s", got, err, api.StageClosed)
	}
}
