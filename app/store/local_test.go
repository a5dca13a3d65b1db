package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

const now = "2026-11-27T10:00:00Z"

// withNC opens a replica holding one NC awaiting a CA (revision 3), as after a sync.
func withNC(t *testing.T) (*store.Store, api.NC) {
	t.Helper()
	s := open(t, t.TempDir())
	nc := api.NC{ID: "NC-167140-2019", Stage: api.StageCARequested, Revision: 3}
	page := api.ChangesPage{Cursor: "1", Changes: []api.Change{change(t, api.EntityNC, nc.ID, nc)}}
	if err := s.ApplyPage(context.Background(), page, now); err != nil {
		t.Fatal(err)
	}
	return s, nc
}

func pending(t *testing.T, s *store.Store) []api.PushEntry {
	t.Helper()
	e, err := s.PendingPush(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEveryLocalChangeIsInTheOutboxWithIt(t *testing.T) {
	ctx := context.Background()
	s, nc := withNC(t)
	if _, err := s.Work.Autosave(ctx, nc.ID, "Former", now); err != nil {
		t.Fatal(err)
	}
	if got := pending(t, s); len(got) != 0 {
		t.Fatalf("autosave queued %d entries; it must stay local", len(got))
	}
	if _, err := s.Work.SaveDraft(ctx, nc.ID, "Former les travailleurs", now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Work.SetReady(ctx, nc.ID, "Former les travailleurs à la prime", true, nc.Revision, now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Work.QueueMessage(ctx, nc.ID, "Bonjour", now); err != nil {
		t.Fatal(err)
	}
	queued, err := s.Work.QueueReady(ctx, now)
	if err != nil || len(queued) != 1 {
		t.Fatalf("QueueReady: %v %v", queued, err)
	}
	outbox, _ := s.Work.Outbox(ctx)
	var kinds []string
	for _, e := range outbox {
		kinds = append(kinds, e.Kind)
	}
	want := []string{api.KindCADraft, api.KindCADraft, api.KindMessage, api.KindCASubmit}
	if len(kinds) != len(want) {
		t.Fatalf("outbox kinds: got %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("outbox kinds: got %v, want %v", kinds, want)
		}
	}
	// One CA entry per NC per request, and never skipping ahead: the first request
	// carries the first draft only (the run stops at the second CA entry).
	first := pending(t, s)
	if len(first) != 1 || first[0].Kind != api.KindCADraft {
		t.Errorf("first push: %+v", first)
	}
	// A queued CA cannot be edited until it is taken back.
	if _, err := s.Work.Autosave(ctx, nc.ID, "changed", now); !errors.Is(err, store.ErrQueued) {
		t.Errorf("editing a queued CA: got %v, want ErrQueued", err)
	}
}

func TestPushResultsMoveTheQueueOn(t *testing.T) {
	ctx := context.Background()
	s, nc := withNC(t)
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	s.Work.SaveDraft(ctx, nc.ID, "v1", now)
	e := pending(t, s)[0]
	// Applied: the draft revision is recorded and the entry leaves the outbox.
	draft := &api.CADraft{NCID: nc.ID, Text: "v1", Revision: 1, UpdatedBy: "coop"}
	if err := s.ApplyPushResults(ctx, []api.PushResult{{Seq: e.Seq, Status: api.PushApplied, Draft: draft}}, "Marie", at); err != nil {
		t.Fatal(err)
	}
	l, _ := s.Work.LocalCA(ctx, nc.ID)
	if l.DraftBase != 1 || l.Diverged() {
		t.Errorf("after the applied draft: base %d, diverged %v", l.DraftBase, l.Diverged())
	}
	// The next draft goes with the new base.
	s.Work.SaveDraft(ctx, nc.ID, "v2", now)
	e = pending(t, s)[0]
	if e.BaseRevision != 1 {
		t.Errorf("second draft's base: got %d, want 1", e.BaseRevision)
	}
	// Conflict: both texts are kept.
	theirs := &api.CADraft{NCID: nc.ID, Text: "their text", Revision: 2, UpdatedBy: "jean"}
	s.ApplyPushResults(ctx, []api.PushResult{{Seq: e.Seq, Status: api.PushConflict, Code: api.CodeDraftChanged, Draft: theirs}}, "Marie", at)
	l, _ = s.Work.LocalCA(ctx, nc.ID)
	if l.Text != "v2" || l.OtherText != "their text" || l.Notice != api.CodeDraftChanged {
		t.Errorf("after a conflict: %+v", l)
	}
	// Resolving builds on their revision.
	s.Work.Resolve(ctx, nc.ID, "v2 + their text", now)
	e = pending(t, s)[0]
	if e.BaseRevision != 2 || e.Text != "v2 + their text" {
		t.Errorf("resolution entry: %+v", e)
	}
	// Rejected: kept in the outbox, marked, and the CA goes back to draft.
	s.ApplyPushResults(ctx, []api.PushResult{{Seq: e.Seq, Status: api.PushApplied, Draft: &api.CADraft{NCID: nc.ID, Text: e.Text, Revision: 3}}}, "Marie", at)
	s.Work.SetReady(ctx, nc.ID, "final", true, nc.Revision, now)
	s.ApplyPushResults(ctx, []api.PushResult{{Seq: pending(t, s)[0].Seq, Status: api.PushApplied, Draft: &api.CADraft{NCID: nc.ID, Text: "final", Revision: 4}}}, "Marie", at)
	s.Work.QueueReady(ctx, now)
	sub := pending(t, s)[0]
	s.ApplyPushResults(ctx, []api.PushResult{{Seq: sub.Seq, Status: api.PushRejected, Code: api.CodeNCClosed}}, "Marie", at)
	l, _ = s.Work.LocalCA(ctx, nc.ID)
	if l.Ready || l.Queued || l.Notice != api.CodeNCClosed || l.Text != "final" {
		t.Errorf("after a rejected submission: %+v", l)
	}
	outbox, _ := s.Work.Outbox(ctx)
	if len(outbox) != 1 || outbox[0].State != store.OutboxRejected || outbox[0].Code != api.CodeNCClosed {
		t.Errorf("outbox after the rejection: %+v", outbox)
	}
	if n, _ := s.PendingCount(ctx); n != 0 {
		t.Errorf("a rejected entry still counts as pending: %d", n)
	}
}

func TestAStaleResultNeverRollsTheReplicaBack(t *testing.T) {
	ctx := context.Background()
	s, nc := withNC(t)
	s.Work.QueueMessage(ctx, nc.ID, "Bonjour", now)
	e := pending(t, s)[0]
	old := nc
	old.Revision = 1 // older than the revision 3 the replica holds
	old.Stage = api.StageCARequested
	s.ApplyPushResults(ctx, []api.PushResult{{Seq: e.Seq, Status: api.PushDuplicate, NC: &old, MessageID: "M-x-1"}}, "Marie", time.Now())
	got, _ := s.Portal.NC(ctx, nc.ID)
	if got.Revision != 3 {
		t.Errorf("NC revision after a stale result: got %d, want 3", got.Revision)
	}
	msgs, _ := s.Portal.Messages(ctx, nc.ID)
	if len(msgs) != 1 || msgs[0].ID != "M-x-1" || msgs[0].Author != "Marie" {
		t.Errorf("the sent message should show at once: %+v", msgs)
	}
}

func TestPullsBringNoticesAndTakeReadyOffChangedNCs(t *testing.T) {
	ctx := context.Background()
	s, nc := withNC(t)
	s.Work.SetReady(ctx, nc.ID, "ma mesure", true, nc.Revision, now)
	// The analyst closes the NC and writes: a later pull brings both.
	closed := nc
	closed.Stage, closed.Revision = api.StageClosed, 4
	msg := api.Message{ID: "M-1", NCID: nc.ID, AuthorRole: api.RoleAnalyst, Body: "Clôturée"}
	page := api.ChangesPage{Cursor: "5", Changes: []api.Change{
		change(t, api.EntityNC, nc.ID, closed), change(t, api.EntityMessage, msg.ID, msg),
	}}
	if err := s.ApplyPage(ctx, page, now); err != nil {
		t.Fatal(err)
	}
	l, _ := s.Work.LocalCA(ctx, nc.ID)
	if l.Ready || l.Notice != api.CodeNCClosed || l.Text != "ma mesure" {
		t.Errorf("local CA after the NC was closed: %+v (text kept, ready off, notice nc_closed)", l)
	}
	notices, _ := s.Portal.Notices(ctx)
	if notices[nc.ID] != 2 {
		t.Errorf("notices: got %v, want 2 for %s", notices, nc.ID)
	}
	taken, _ := s.Portal.TakeNewNotices(ctx)
	again, _ := s.Portal.TakeNewNotices(ctx)
	if len(taken) != 2 || len(again) != 0 {
		t.Errorf("announced %d then %d; want 2 then 0", len(taken), len(again))
	}
	s.Portal.MarkSeen(ctx, nc.ID)
	if notices, _ = s.Portal.Notices(ctx); notices[nc.ID] != 0 {
		t.Errorf("notices after seeing the NC: %v", notices)
	}
}

func TestAnotherComputersDraftIsAdoptedOrKeptBesideMine(t *testing.T) {
	ctx := context.Background()
	s, nc := withNC(t)
	at := time.Now()
	s.Work.SaveDraft(ctx, nc.ID, "mine", now)
	s.ApplyPushResults(ctx, []api.PushResult{{Seq: pending(t, s)[0].Seq, Status: api.PushApplied,
		Draft: &api.CADraft{NCID: nc.ID, Text: "mine", Revision: 1}}}, "Marie", at)
	// No unsaved text here: the other computer's newer draft replaces it.
	other := api.CADraft{NCID: nc.ID, Text: "from the office", Revision: 2, UpdatedBy: "jean"}
	s.ApplyPage(ctx, api.ChangesPage{Cursor: "6", Changes: []api.Change{change(t, api.EntityCADraft, nc.ID, other)}}, now)
	l, _ := s.Work.LocalCA(ctx, nc.ID)
	if l.Text != "from the office" || l.DraftBase != 2 || l.Notice != "" {
		t.Errorf("adopting the other draft: %+v", l)
	}
	// Unsaved text here: both are kept for the user to choose.
	s.Work.Autosave(ctx, nc.ID, "typed in the field", now)
	third := api.CADraft{NCID: nc.ID, Text: "office again", Revision: 3, UpdatedBy: "jean"}
	s.ApplyPage(ctx, api.ChangesPage{Cursor: "7", Changes: []api.Change{change(t, api.EntityCADraft, nc.ID, third)}}, now)
	l, _ = s.Work.LocalCA(ctx, nc.ID)
	if l.Text != "typed in the field" || l.OtherText != "office again" || l.Notice != api.CodeDraftChanged {
		t.Errorf("keeping both drafts: %+v", l)
	}
}
