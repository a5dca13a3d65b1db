package app_test

import (
	"context"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/fairmonitor"
	"github.com/ecert-desktop/ecert-desktop/app/store/directory"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

func (r *recorder) count(event string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if e == event {
			n++
		}
	}
	return n
}

// TestChainsSyncAndAlert: a chain edited offline goes with the next sync, exactly once,
// and reaches the organisation's other computer; an unknown FLO ID queues nothing; when
// the analyst suspends a partner of the chain, its owner is alerted after the next sync,
// once — not again at the syncs that follow.
func TestChainsSyncAndAlert(t *testing.T) {
	a, srv, p, _ := loggedInApp(t)
	ctx := context.Background()
	chains := service[*fairmonitor.Chains](a)

	// A certified partner whose certificate does not end within 60 days, and a second one.
	found, err := a.Store().Directory.Search(ctx, directory.PartnerQuery{Status: api.StatusCertified, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, op := range found.Partners {
		if string(op.ValidUntil) > today.AddDate(0, 3, 0).Format("2006-01-02") {
			ids = append(ids, op.FLOID)
		}
	}
	if len(ids) < 2 {
		t.Fatalf("only %d certified operators valid for months", len(ids))
	}
	supplier, buyer := ids[0], ids[1]

	// Offline: the edits are kept and shown at once, pending.
	srv.SetDown(true)
	pendingBefore := a.Sync.Status().Pending
	if err := chains.Add(fairmonitor.Edit{Product: "Café  arabica", FLOID: supplier, Role: api.ChainSupplier}); err != nil {
		t.Fatal(err)
	}
	if err := chains.Add(fairmonitor.Edit{Product: "café arabica", FLOID: buyer, Role: api.ChainBuyer}); err != nil {
		t.Fatal(err)
	}
	// Bad input: a clear code, nothing queued.
	for _, c := range []struct {
		name string
		edit fairmonitor.Edit
		code string
	}{
		{"unknown FLO ID", fairmonitor.Edit{Product: "cocoa", FLOID: "999999999"}, api.CodePartnerUnknown},
		{"no product", fairmonitor.Edit{Product: "  ", FLOID: supplier}, api.CodeInvalidInput},
		{"bad role", fairmonitor.Edit{Product: "cocoa", FLOID: supplier, Role: "owner"}, api.CodeInvalidInput},
		{"FTS syntax as FLO ID", fairmonitor.Edit{Product: "cocoa", FLOID: `"*" OR 1`}, api.CodeInvalidInput},
	} {
		if err := chains.Add(c.edit); !isCode(err, c.code) {
			t.Errorf("%s: got %v, want %s", c.name, err, c.code)
		}
	}
	if err := chains.Remove("tea", supplier); !isCode(err, api.CodeNotInChain) {
		t.Errorf("removing a partner no chain holds: %v", err)
	}
	if n := a.Sync.Status().Pending - pendingBefore; n != 2 {
		t.Fatalf("%d entries queued, want the 2 additions", n)
	}
	v, err := chains.List()
	if err != nil || len(v.Chains) != 1 || len(v.Chains[0].Partners) != 2 || v.Chains[0].Partners[0].Pending != "add" {
		t.Fatalf("offline list: %+v, %v", v, err)
	}
	if v.Chains[0].Product != "Café arabica" || v.Chains[0].Partners[0].Status != api.StatusCertified {
		t.Errorf("offline chain: %+v", v.Chains[0])
	}

	// Online: sent once, confirmed by the server.
	srv.SetDown(false)
	syncNow(t, a)
	syncNow(t, a)
	if n := a.Sync.Status().Pending; n != 0 {
		t.Fatalf("%d entries pending after the sync", n)
	}
	v, _ = chains.List()
	if len(v.Chains) != 1 || len(v.Chains[0].Partners) != 2 || v.Chains[0].Partners[0].Pending != "" ||
		v.Chains[0].Partners[0].Revision == 0 || v.Chains[0].Partners[0].AddedBy != "coop" {
		t.Fatalf("after the sync: %+v", v)
	}
	if n := p.count(fairmonitor.EventAlert); n != 0 {
		t.Fatalf("%d alerts about healthy partners", n)
	}

	// The organisation's other computer pulls the same chain; its removal there reaches
	// the first.
	p2 := &recorder{}
	other := newApp(t, t.TempDir(), p2)
	if _, err := other.Session.Login(srv.URL, "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	syncNow(t, other)
	v2, err := service[*fairmonitor.Chains](other).List()
	if err != nil || len(v2.Chains) != 1 || len(v2.Chains[0].Partners) != 2 {
		t.Fatalf("the other computer's chains: %+v, %v", v2, err)
	}
	if err := service[*fairmonitor.Chains](other).Remove("CAFÉ ARABICA", buyer); err != nil {
		t.Fatal(err)
	}
	syncNow(t, other)
	syncNow(t, a)
	v, _ = chains.List()
	if len(v.Chains) != 1 || len(v.Chains[0].Partners) != 1 || v.Chains[0].Partners[0].FLOID != supplier {
		t.Fatalf("after the other computer's removal: %+v", v)
	}

	// The analyst suspends the supplier (the console's action): one alert, once.
	if _, err := srv.Directory().Suspend(ctx, supplier); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	if n := p.count(fairmonitor.EventAlert); n != 1 {
		t.Fatalf("%d alerts after the suspension, want 1", n)
	}
	v, _ = chains.List()
	if v.Chains[0].Partners[0].Status != api.StatusSuspended || v.Chains[0].AtRisk != 1 {
		t.Errorf("the chain after the suspension: %+v", v.Chains[0])
	}
	// Something else changes (the other computer adds to a chain): no second alert.
	if err := service[*fairmonitor.Chains](other).Add(fairmonitor.Edit{Product: "cocoa", FLOID: buyer, Role: api.ChainBuyer}); err != nil {
		t.Fatal(err)
	}
	syncNow(t, other)
	syncNow(t, a)
	if n := p.count(fairmonitor.EventAlert); n != 1 {
		t.Errorf("%d alerts after later syncs, want still 1", n)
	}

	// The chains page lists the past alert, unseen until the user marks it seen.
	past, err := chains.Alerts()
	if err != nil || len(past) != 1 || past[0].FLOID != supplier || past[0].Event != api.StatusSuspended ||
		past[0].Seen != "" || past[0].Name == "" || past[0].Fact == "" || past[0].Raised == "" {
		t.Fatalf("past alerts: %+v, %v", past, err)
	}
	if _, err := chains.MarkSeen(make([]string, 201)); !isCode(err, api.CodeInvalidInput) {
		t.Errorf("201 keys: %v, want %s", err, api.CodeInvalidInput)
	}
	if n, err := chains.MarkSeen([]string{"nope|suspended|x"}); n != 0 || err != nil {
		t.Errorf("an unknown key: %d marked, %v", n, err)
	}
	if n, err := chains.MarkSeen([]string{past[0].Key}); n != 1 || err != nil {
		t.Errorf("mark seen: %d marked, %v", n, err)
	}
	seen, _ := chains.Alerts()
	if len(seen) != 1 || seen[0].Seen == "" {
		t.Errorf("after marking it seen: %+v", seen)
	}
	if n, _ := chains.MarkSeen(nil); n != 0 {
		t.Errorf("mark all seen marked %d alerts seen already", n)
	}
	if again, _ := chains.Alerts(); again[0].Seen != seen[0].Seen {
		t.Errorf("seen again: %q, first %q", again[0].Seen, seen[0].Seen)
	}
}
