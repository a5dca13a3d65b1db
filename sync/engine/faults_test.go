package engine_test

import (
	"bytes"
	"context"
	"maps"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
	"github.com/ecert-desktop/ecert-desktop/sync/engine"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// A pull cut in the middle of a page by a real fault-injecting proxy leaves the replica
// exactly as it was before that page; the next sync completes it with nothing missing
// and nothing twice.
func TestPullCutMidPageLeavesTheReplicaConsistent(t *testing.T) {
	srv := servertest.Start(t)
	proxy := servertest.NewProxy(t, srv.URL)
	ctx := context.Background()
	c := login(t, proxy.URL)
	st := newReplica(t)

	// Each connection may carry 3 KB back, then it is closed: the first pages fit, a
	// later one is cut.
	proxy.AddToxic("cut", "limit_data", "downstream", `"bytes": 3000`)
	e := engine.New(st, c, engine.Options{PageSize: 5})
	if err := e.Sync(ctx); client.Code(err) != api.CodeUnreachable {
		t.Fatalf("sync through the cut: got %v, want unreachable", err)
	}
	cut, _ := st.Cursor(ctx)
	if cut == "" {
		t.Fatal("no page got through before the cut: the toxic is too tight to test a cut mid-pull")
	}
	atCut := st.snapshot()

	// The replica at the cut is exactly a clean pull stopped at that cursor: whole pages,
	// nothing of the page that was cut. (The clean pull goes without the cut: pages
	// asked one by one carry fewer per connection than the engine's one answer.)
	proxy.RemoveToxic("cut")
	upToCut := newReplica(t)
	for cursor := ""; cursor != cut; {
		page, err := c.Changes(ctx, cursor, 5)
		if err != nil {
			t.Fatal(err)
		}
		if err := upToCut.ApplyPage(ctx, page, ""); err != nil {
			t.Fatal(err)
		}
		cursor = page.Cursor
	}
	equalReplicas(t, "at the cut", atCut, "in a clean pull up to its cursor", upToCut.snapshot())

	if err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	after, _ := st.Cursor(ctx)
	if after == cut {
		t.Errorf("cursor did not move after the cut (%q)", cut)
	}

	// A clean replica synced without faults must hold exactly the same.
	clean := newReplica(t)
	if err := engine.New(clean, c, engine.Options{}).Sync(ctx); err != nil {
		t.Fatal(err)
	}
	equalReplicas(t, "after the cut and a resync", st.snapshot(), "in a clean sync", clean.snapshot())
	t.Logf("cut at cursor %q; resumed to %q", cut, after)
}

// equalReplicas reports every entity that differs between two snapshots.
func equalReplicas(t *testing.T, gotName string, got map[string]map[string]string, wantName string, want map[string]map[string]string) {
	t.Helper()
	for _, entity := range api.Entities {
		for id, w := range want[entity] {
			if g, ok := got[entity][id]; !ok {
				t.Errorf("%s %s: missing %s, present %s", entity, id, gotName, wantName)
			} else if g != w {
				t.Errorf("%s %s: %s\n%s\nbut %s\n%s", entity, id, gotName, g, wantName, w)
			}
		}
		for id := range got[entity] {
			if _, ok := want[entity][id]; !ok {
				t.Errorf("%s %s: present %s, missing %s", entity, id, gotName, wantName)
			}
		}
	}
	if !maps.EqualFunc(got, want, func(g, w map[string]string) bool { return maps.Equal(g, w) }) && !t.Failed() {
		t.Errorf("%s and %s differ outside api.Entities", gotName, wantName)
	}
}

// A download cut by the network resumes where it stopped: the bytes already received
// are not fetched again.
func TestDownloadCutResumes(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	data := make([]byte, 4<<20)
	for i := range data {
		data[i] = byte(i * 7)
	}
	ref, err := srv.PutFile(ctx, "Rapport d'audit complet.pdf", "application/pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	doc := api.Document{ID: "DOC-big", Type: "other", Date: "2026-11-27", File: ref}
	if err := srv.UpsertDocument(ctx, demo.OrgCoop, doc); err != nil {
		t.Fatal(err)
	}
	proxy := servertest.NewProxy(t, srv.URL)
	c := login(t, proxy.URL)
	st := newReplica(t)
	e := engine.New(st, c, engine.Options{})
	proxy.AddToxic("cut", "limit_data", "downstream", `"bytes": 1500000`)
	if err := e.Sync(ctx); client.Code(err) != api.CodeUnreachable {
		t.Fatalf("sync through the cut: %v", err)
	}
	proxy.RemoveToxic("cut")
	before := srv.Bytes.Load()
	if err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := srv.Bytes.Load() - before; got > int64(len(data))-1<<20 {
		t.Errorf("after the cut %d bytes were sent again for a %d-byte file", got, len(data))
	}
	got, cached := st.cachedFile(ref.SHA256)
	if !cached {
		t.Fatal("the document is not cached")
	}
	if !bytes.Equal(got, data) {
		t.Error("the resumed download differs from the file")
	}
}

// A page the replica cannot write (the disk is full) stops the pull at the pages before
// it, shows the replica's code to the user, and the next sync goes on from there.
func TestPageTheReplicaRefusesStopsThePullWhereItWas(t *testing.T) {
	_, c, st := setup(t)
	ctx := context.Background()
	pages := 0
	st.applyErr = func() error {
		if pages++; pages == 3 {
			return &client.Error{Code: api.CodeDiskFull}
		}
		return nil
	}
	e := engine.New(st, c, engine.Options{PageSize: 5})
	if err := e.Sync(ctx); client.Code(err) != api.CodeDiskFull {
		t.Fatalf("sync onto a full disk: got %v, want %s", err, api.CodeDiskFull)
	}
	if s := e.Status(); s.LastError != api.CodeDiskFull || !s.Online || s.Syncing {
		t.Errorf("status after a refused page: %+v, want online with %s", s, api.CodeDiskFull)
	}
	want := ""
	for range 2 { // the cursor two pages leave (cursors are the server's to choose)
		page, err := c.Changes(ctx, want, 5)
		if err != nil {
			t.Fatal(err)
		}
		want = page.Cursor
	}
	if cursor, _ := st.Cursor(ctx); cursor != want {
		t.Errorf("cursor after two pages: got %q, want %q", cursor, want)
	}

	if err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if s := e.Status(); s.LastError != "" || !s.Online {
		t.Errorf("status after the next sync: %+v", s)
	}
	clean := newReplica(t)
	if err := engine.New(clean, c, engine.Options{}).Sync(ctx); err != nil {
		t.Fatal(err)
	}
	equalReplicas(t, "after the full disk and a resync", st.snapshot(), "in a clean sync", clean.snapshot())
}
