package engine_test

import (
	"context"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
	"github.com/ecert-desktop/ecert-desktop/sync/engine"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// ncCA is the demo NC awaiting a corrective measure; ncEvidence the one awaiting evidence.
const (
	ncCA       = "NC-167140-2019"
	ncEvidence = "NC-150424-2019"
)

// bodies counts the messages of the organisation on the server by body, as a replica
// of its own pulls them.
func bodies(t *testing.T, url string) map[string]int {
	t.Helper()
	r := newReplica(t)
	if err := engine.New(r, login(t, url), engine.Options{}).Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, id := range r.all(api.EntityMessage) {
		var m api.Message
		if err := r.get(api.EntityMessage, id, &m); err != nil {
			t.Fatal(err)
		}
		out[m.Body]++
	}
	return out
}

// An answer lost after the server committed the entries: the next sync pushes them
// again, the server answers "duplicate", and each message exists once.
func TestPushAnswerLostAfterCommitAppliesOnce(t *testing.T) {
	srv := servertest.Start(t)
	proxy := servertest.NewProxy(t, srv.URL)
	ctx := context.Background()
	c := login(t, proxy.URL)
	st := newReplica(t)
	texts := []string{"Le plan de formation est joint.", "La formation aura lieu le 12 mars."}
	for _, text := range texts {
		st.writeMessage(ncCA, text)
	}
	rec := &recorder{Client: c}
	e := engine.New(st, rec, engine.Options{Author: "Coopérative"})

	// The push is the sync's first request: its answer is cut after a few bytes.
	proxy.AddToxic("cut", "limit_data", "downstream", `"bytes": 10`)
	if err := e.Sync(ctx); client.Code(err) != api.CodeUnreachable {
		t.Fatalf("sync through the cut: got %v, want unreachable", err)
	}
	proxy.RemoveToxic("cut")
	if n, _ := st.PendingCount(ctx); n != len(texts) {
		t.Fatalf("after a lost answer: got %d pending entries, want %d", n, len(texts))
	}
	if got := bodies(t, srv.URL); got[texts[0]] != 1 || got[texts[1]] != 1 {
		t.Fatalf("the server did not commit the entries before the cut: %v", got)
	}

	rec.results = nil
	if err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if len(rec.results) != len(texts) {
		t.Fatalf("the replay: got %d results, want %d", len(rec.results), len(texts))
	}
	for _, r := range rec.results {
		if r.Status != api.PushDuplicate {
			t.Errorf("entry %d replayed: got %q, want %q", r.Seq, r.Status, api.PushDuplicate)
		}
	}
	if n, _ := st.PendingCount(ctx); n != 0 {
		t.Errorf("after the replay: got %d pending entries, want 0", n)
	}
	if r := st.rejected(); len(r) != 0 {
		t.Errorf("entries refused: %v", r)
	}
	got := bodies(t, srv.URL)
	for _, text := range texts {
		if got[text] != 1 {
			t.Errorf("message %q: got %d on the server, want 1", text, got[text])
		}
	}
	// The replica holds them under the ids the server gave, once each.
	id, _ := st.ClientID(ctx)
	for i, text := range texts {
		var m api.Message
		if err := st.get(api.EntityMessage, api.MessageID(id, int64(i+1)), &m); err != nil || m.Body != text {
			t.Errorf("message %d in the replica: got %+v %v, want %q", i+1, m, err, text)
		}
	}
}

// A refused entry is kept for the user and does not hold up the entries after it.
func TestRejectedEntryDoesNotBlockTheQueue(t *testing.T) {
	srv, c, st := setup(t)
	ctx := context.Background()
	st.writeMessage("NC-000000-0000", "Une NC qui n'existe pas.")
	st.writeMessage(ncCA, "Le plan de formation est joint.")
	var changed []string
	e := engine.New(st, c, engine.Options{OnChanges: func(es []string) { changed = append(changed, es...) }})
	if err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if r := st.rejected(); len(r) != 1 || r[1] == "" {
		t.Errorf("refused entries: got %v, want entry 1 with a code", r)
	}
	if n, _ := st.PendingCount(ctx); n != 0 || e.Status().Pending != 0 {
		t.Errorf("pending after the sync: got %d (status %d), want 0", n, e.Status().Pending)
	}
	if got := bodies(t, srv.URL); got["Le plan de formation est joint."] != 1 {
		t.Errorf("the entry after the refused one: got %v on the server, want it once", got)
	}
	if len(changed) == 0 || changed[0] != engine.EntityOutbox {
		t.Errorf("entities reported changed: got %v, want %q first", changed, engine.EntityOutbox)
	}
}

// recorder is the real client, keeping the push results the engine got.
type recorder struct {
	*client.Client
	results []api.PushResult
}

func (r *recorder) Push(ctx context.Context, req api.PushRequest) (api.PushResponse, error) {
	resp, err := r.Client.Push(ctx, req)
	r.results = append(r.results, resp.Results...)
	return resp, err
}
