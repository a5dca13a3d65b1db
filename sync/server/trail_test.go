package server_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// trailOf makes n entries of a replica's chain after (last, prev), as a replica would.
func trailOf(author string, last int64, prev string, n int) []api.TrailEntry {
	var out []api.TrailEntry
	for i := range n {
		e := api.TrailEntry{Seq: last + int64(i) + 1, At: time.Date(2026, 11, 27, 10, i, 0, 0, time.UTC), Author: author,
			Kind: api.KindMessage, NCID: ncOpen, Digest: api.TrailDigest(author, fmt.Sprint(last+int64(i))), Prev: prev}
		e.Hash = api.TrailHash(e)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

// pushTrail pushes a request with trail and returns the response; it must succeed.
func (e *env) pushTrail(token, clientID string, trail []api.TrailEntry, entries ...api.PushEntry) api.PushResponse {
	e.t.Helper()
	r := e.do("POST", "/push", token, api.PushRequest{ClientID: clientID, Entries: entries, Trail: trail})
	if r.status != http.StatusOK {
		e.t.Fatalf("push: %d %s", r.status, r.body)
	}
	var pr api.PushResponse
	decode(e.t, r.body, &pr)
	return pr
}

func (e *env) trail(token string) []api.TrailRecord {
	e.t.Helper()
	var out []api.TrailRecord
	for after := int64(0); ; {
		r := e.do("GET", fmt.Sprintf("/trail?after=%d&limit=2", after), token, nil)
		if r.status != http.StatusOK {
			e.t.Fatalf("trail: %d %s", r.status, r.body)
		}
		var page api.TrailPage
		decode(e.t, r.body, &page)
		out = append(out, page.Records...)
		if !page.More {
			return out
		}
		after = page.Records[len(page.Records)-1].OrgSeq
	}
}

func TestTrailIsCheckedAndChainedPerOrganisation(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	a, b := trailOf("coop", 0, api.TrailGenesis, 3), trailOf("coop", 0, api.TrailGenesis, 2)

	// Two replicas' entries; a replayed request appends nothing twice.
	for range 2 {
		if ack := e.pushTrail(coop, clientA, a[:2]).Trail; ack == nil || *ack != (api.TrailAck{Last: 2}) {
			t.Fatalf("ack %+v, want last 2", ack)
		}
	}
	if ack := e.pushTrail(coop, clientB, b).Trail; *ack != (api.TrailAck{Last: 2}) {
		t.Fatalf("replica B: ack %+v", ack)
	}

	// A broken link refuses the trail, not the entries that came with it.
	forged := trailOf("coop", 2, api.TrailGenesis, 1) // seq 3, but linked to nothing
	pr := e.pushTrail(coop, clientA, forged, api.PushEntry{Seq: 1, Kind: api.KindMessage, NCID: ncOpen, Text: "Bonjour"})
	if pr.Trail == nil || *pr.Trail != (api.TrailAck{Last: 2, Code: api.CodeTrailBroken, Seq: 3}) {
		t.Errorf("forged entry: ack %+v, want last 2, trail_broken at 3", pr.Trail)
	}
	wantResult(t, pr.Results[0], 1, api.PushApplied, "")
	if ack := e.pushTrail(coop, clientA, a).Trail; *ack != (api.TrailAck{Last: 3}) {
		t.Errorf("the true entry 3 after the forged one: ack %+v", ack)
	}

	// One chain for the organisation, every replica in it, each in its own order.
	got := e.trail(coop)
	if len(got) != 5 {
		t.Fatalf("%d records, want 5", len(got))
	}
	if at := api.TrailChainBreak(got, 0, api.TrailGenesis); at != 0 {
		t.Fatalf("the organisation's chain breaks at %d", at)
	}
	if got[4].ClientID != clientA || got[4].Entry != a[2] {
		t.Errorf("last record %+v, want replica A's entry 3", got[4])
	}
	// A request without a trail gets no trail answer.
	if pr := e.pushTrail(coop, clientA, nil); pr.Trail != nil {
		t.Errorf("no trail sent, answer %+v", pr.Trail)
	}
}
