package engine_test

import (
	"context"
	"testing"

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
	if client.Code(err) != client.CodeUnreachable {
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
