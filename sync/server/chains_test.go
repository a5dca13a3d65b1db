package server_test

import (
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// TestChainsPush: chain.add and chain.remove apply once (a replay is a duplicate, no
// second change), reach the organisation's change log, and bad fields or an unknown FLO
// ID are rejected with a code, changing nothing.
func TestChainsPush(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	add := api.PushEntry{Seq: 1, Kind: api.KindChainAdd, Chain: &api.ChainLink{Product: " Café   arabica ", FLOID: "27816", Role: api.ChainSupplier}}
	res := e.push(coop, clientA, add)
	wantResult(t, res[0], 1, api.PushApplied, "")
	if c := res[0].Chain; c == nil || c.ID != "café arabica|27816" || c.Product != "Café arabica" || c.AddedBy != "coop" || c.Revision == 0 {
		t.Fatalf("applied link: %+v", res[0].Chain)
	}
	before := len(e.allChanges(coop, 5000))
	wantResult(t, e.push(coop, clientA, add)[0], 1, api.PushDuplicate, "")
	if n := len(e.allChanges(coop, 5000)); n != before {
		t.Errorf("a replay changed the log: %d changes, was %d", n, before)
	}
	links := 0
	for _, c := range e.allChanges(coop, 5000) {
		if c.Entity == api.EntityChainLink && c.Op == api.OpUpsert {
			links++
		}
	}
	if links != 1 {
		t.Fatalf("%d chain links in the log, want 1", links)
	}

	// Bad input: rejected, with a code, nothing changed.
	seq := int64(1)
	for _, c := range []struct {
		name  string
		entry api.PushEntry
		code  string
	}{
		{"no chain", api.PushEntry{Kind: api.KindChainAdd}, api.CodeBadEntry},
		{"unknown FLO ID", api.PushEntry{Kind: api.KindChainAdd, Chain: &api.ChainLink{Product: "cocoa", FLOID: "999999999", Role: api.ChainBuyer}}, api.CodePartnerUnknown},
		{"empty product", api.PushEntry{Kind: api.KindChainAdd, Chain: &api.ChainLink{Product: " ", FLOID: "27816", Role: api.ChainBuyer}}, api.CodeBadEntry},
		{"long product", api.PushEntry{Kind: api.KindChainAdd, Chain: &api.ChainLink{Product: strings.Repeat("é", 41), FLOID: "27816", Role: api.ChainBuyer}}, api.CodeBadEntry},
		{"control characters", api.PushEntry{Kind: api.KindChainAdd, Chain: &api.ChainLink{Product: "co\x00coa", FLOID: "27816", Role: api.ChainBuyer}}, api.CodeBadEntry},
		{"bad role", api.PushEntry{Kind: api.KindChainAdd, Chain: &api.ChainLink{Product: "cocoa", FLOID: "27816", Role: "owner"}}, api.CodeBadEntry},
		{"FLO ID with syntax", api.PushEntry{Kind: api.KindChainRemove, Chain: &api.ChainLink{Product: "cocoa", FLOID: "27816' OR 1=1"}}, api.CodeBadEntry},
	} {
		seq++
		c.entry.Seq = seq
		t.Run(c.name, func(t *testing.T) {
			wantResult(t, e.push(coop, clientA, c.entry)[0], seq, api.PushRejected, c.code)
		})
	}
	if n := len(e.allChanges(coop, 5000)); n != before {
		t.Errorf("rejected entries changed the log: %d changes, was %d", n, before)
	}

	// Removal: a delete in the log; removing again changes nothing.
	seq++
	wantResult(t, e.push(coop, clientA, api.PushEntry{Seq: seq, Kind: api.KindChainRemove, Chain: &api.ChainLink{Product: "CAFÉ ARABICA", FLOID: "27816"}})[0], seq, api.PushApplied, "")
	deleted := false
	for _, c := range e.allChanges(coop, 5000) {
		if c.Entity == api.EntityChainLink && c.Op == api.OpDelete && c.ID == "café arabica|27816" {
			deleted = true
		}
	}
	if !deleted {
		t.Error("no delete of the link in the change log")
	}
	seq++
	wantResult(t, e.push(coop, clientA, api.PushEntry{Seq: seq, Kind: api.KindChainRemove, Chain: &api.ChainLink{Product: "cafe", FLOID: "27816"}})[0], seq, api.PushApplied, "")
}
