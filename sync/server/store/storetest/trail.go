package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// chainOf makes n entries of a replica's chain after (last, prev), as a replica would.
func chainOf(author string, last int64, prev string, n int) []api.TrailEntry {
	var out []api.TrailEntry
	for i := range n {
		e := api.TrailEntry{Seq: last + int64(i) + 1, At: base.Add(time.Duration(i) * time.Minute), Author: author,
			Kind: api.KindMessage, NCID: "NC-1", Digest: api.TrailDigest(author, fmt.Sprint(i)), Prev: prev}
		e.Hash = api.TrailHash(e)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func records(t *testing.T, s store.Store, org string) []api.TrailRecord {
	t.Helper()
	got, err := s.TrailRecords(ctx, org, 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func testTrail(t *testing.T, s store.Store) {
	fixture(t, s, "t1", "t2")
	a := chainOf("marie", 0, api.TrailGenesis, 3)

	// Appended and linked; a replay appends nothing twice.
	for round := range 2 {
		last, err := s.AppendTrail(ctx, "t1", "replica-aaaaaaaaaaaa", a[:2], base)
		if err != nil || last != 2 {
			t.Fatalf("round %d: last %d, %v; want 2", round, last, err)
		}
	}
	last, err := s.AppendTrail(ctx, "t1", "replica-aaaaaaaaaaaa", a, base) // overlaps what is held
	if err != nil || last != 3 {
		t.Fatalf("overlapping append: last %d, %v; want 3", last, err)
	}
	got := records(t, s, "t1")
	if len(got) != 3 || api.TrailChainBreak(got, 0, api.TrailGenesis) != 0 {
		t.Fatalf("chain of %d records, break at %d", len(got), api.TrailChainBreak(got, 0, api.TrailGenesis))
	}
	if got[1].Entry != a[1] || got[1].ClientID != "replica-aaaaaaaaaaaa" || !got[1].ReceivedAt.Equal(base) {
		t.Errorf("record 2 = %+v, want entry %+v", got[1], a[1])
	}
	if page, _ := s.TrailRecords(ctx, "t1", 2, 10); len(page) != 1 || page[0].OrgSeq != 3 {
		t.Errorf("records after 2: %+v", page)
	}

	// Refused, whole: a gap, a broken link, a wrong hash, another entry under a held seq.
	b := chainOf("paul", 0, api.TrailGenesis, 4)
	edited := b[1]
	edited.Author = "mallory" // its hash no longer holds
	forged := chainOf("mallory", 0, api.TrailGenesis, 1)[0]
	for _, tc := range []struct {
		name    string
		entries []api.TrailEntry
		seq     int64
	}{
		{"gap", []api.TrailEntry{b[0], b[2]}, 3},
		{"link", []api.TrailEntry{b[0], chainOf("paul", 1, api.TrailGenesis, 1)[0]}, 2},
		{"hash", []api.TrailEntry{b[0], edited}, 2},
		{"another entry under a held seq", []api.TrailEntry{forged}, 1},
	} {
		if tc.name == "another entry under a held seq" {
			if _, err := s.AppendTrail(ctx, "t1", "replica-bbbbbbbbbbbb", b[:1], base); err != nil {
				t.Fatal(err)
			}
		}
		_, err := s.AppendTrail(ctx, "t1", "replica-bbbbbbbbbbbb", tc.entries, base)
		var broken *store.TrailBrokenError
		if !errors.Is(err, store.ErrTrailBroken) || !errors.As(err, &broken) || broken.Seq != tc.seq {
			t.Errorf("%s: %v, want a broken trail at %d", tc.name, err, tc.seq)
		}
	}
	if got := records(t, s, "t1"); len(got) != 4 {
		t.Errorf("%d records after the refusals, want 4 (nothing of a refused call kept)", len(got))
	}

	// Another organisation's chain is its own, and neither sees the other's.
	if _, err := s.AppendTrail(ctx, "t2", "replica-aaaaaaaaaaaa", a[:1], base); err != nil {
		t.Fatalf("the same replica id in another organisation: %v", err)
	}
	if got := records(t, s, "t2"); len(got) != 1 || got[0].OrgSeq != 1 || got[0].Chain != api.TrailChainHash(api.TrailGenesis, "replica-aaaaaaaaaaaa", a[0].Hash) {
		t.Errorf("t2's chain: %+v", got)
	}
}

// Replicas of one organisation pushing at once still leave one chain without gaps or
// forks, holding every replica's entries in each replica's order.
func testConcurrentTrail(t *testing.T, s store.Store) {
	fixture(t, s, "t1")
	const replicas, batches, per = 4, 5, 3
	var wg sync.WaitGroup
	errs := make(chan error, replicas*batches)
	for r := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := fmt.Sprintf("replica-%012d", r)
			entries := chainOf(client, 0, api.TrailGenesis, batches*per)
			for b := range batches {
				if _, err := s.AppendTrail(ctx, "t1", client, entries[b*per:(b+1)*per], base); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got := records(t, s, "t1")
	if len(got) != replicas*batches*per {
		t.Fatalf("%d records, want %d", len(got), replicas*batches*per)
	}
	if at := api.TrailChainBreak(got, 0, api.TrailGenesis); at != 0 {
		t.Fatalf("the organisation's chain breaks at %d", at)
	}
	next := map[string]int64{}
	for _, r := range got {
		if r.Entry.Seq != next[r.ClientID]+1 {
			t.Fatalf("%s's entry %d after %d", r.ClientID, r.Entry.Seq, next[r.ClientID])
		}
		next[r.ClientID] = r.Entry.Seq
	}
}
