package engine_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
	"github.com/ecert-desktop/ecert-desktop/sync/engine"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// A pull cut in the middle of a page by a real fault-injecting proxy leaves the replica
// exactly as it was before that page; the next sync completes it with nothing missing
// and nothing twice.
func TestPullCutMidPageLeavesTheReplicaConsistent(t *testing.T) {
	srv := servertest.Start(t)
	proxy := servertest.NewProxy(t, srv.URL)
	ctx := context.Background()
	c, err := client.New(proxy.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(ctx, "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	// Each connection may carry 3 KB back, then it is closed: the first pages fit, a
	// later one is cut.
	proxy.AddToxic("cut", "limit_data", "downstream", `"bytes": 3000`)
	e := engine.New(st, c, engine.Options{PageSize: 5})
	err = e.Sync(ctx)
	if client.Code(err) != api.CodeUnreachable {
		t.Fatalf("sync through the cut: got %v, want unreachable", err)
	}
	cut, _ := st.Cursor(ctx)
	countsAtCut, _ := st.Counts(ctx)

	proxy.RemoveToxic("cut")
	if err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	after, _ := st.Cursor(ctx)
	if after == cut {
		t.Errorf("cursor did not move after the cut (%q)", cut)
	}

	// A clean replica synced without faults must hold exactly the same.
	clean, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer clean.Close()
	if err := engine.New(clean, c, engine.Options{}).Sync(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ := st.Counts(ctx)
	want, _ := clean.Counts(ctx)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %d after the cut and a resync, %d in a clean sync", k, got[k], v)
		}
	}
	t.Logf("cut at cursor %q with %v; resumed to %q", cut, countsAtCut, after)
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
	if err := srv.UpsertDocument(ctx, server.DemoOrgCoop, doc); err != nil {
		t.Fatal(err)
	}
	proxy := servertest.NewProxy(t, srv.URL)
	c, _ := client.New(proxy.URL)
	if _, err := c.Login(ctx, "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
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
	path, cached, err := st.BlobPath(ctx, ref.SHA256)
	if err != nil || !cached {
		t.Fatalf("the document is not cached: %v", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, data) {
		t.Error("the resumed download differs from the file")
	}
}
