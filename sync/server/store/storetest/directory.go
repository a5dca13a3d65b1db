package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// testDirectory: operators get seqs in write order, a status change moves the operator
// to the end of the directory's changes, and what is not there is ErrNotFound.
func testDirectory(t *testing.T, s store.Store) {
	ops := []api.Operator{
		{FLOID: "1001", Name: "Coopérative Café Ñandú", Country: "PE", Role: "producer", Products: []string{"coffee"},
			Status: api.StatusCertified, ValidUntil: "2027-06-30", StatusChangedAt: base},
		{FLOID: "1002", Name: "東京フェアトレード商事", Country: "JP", Role: "importer", Products: []string{"tea", "coffee"},
			Status: api.StatusCertified, StatusChangedAt: base},
		{FLOID: "1003", Name: "Κυνηγός Trading", Country: "GR", Role: "trader", Products: []string{"cocoa"},
			Status: api.StatusInApplication, StatusChangedAt: base},
	}
	if err := s.PutOperators(ctx, ops); err != nil {
		t.Fatal(err)
	}
	got, err := s.DirectoryChanges(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].FLOID != "1001" || got[2].FLOID != "1003" || got[0].Seq >= got[1].Seq || got[1].Seq >= got[2].Seq {
		t.Fatalf("changes from 0: %+v", got)
	}
	if got[1].Name != ops[1].Name || len(got[1].Products) != 2 || !got[0].StatusChangedAt.Equal(base) || got[0].ValidUntil != "2027-06-30" {
		t.Errorf("operator as read: %+v", got[1])
	}
	// Pages: after the first, the rest.
	page, err := s.DirectoryChanges(ctx, got[0].Seq, 1)
	if err != nil || len(page) != 1 || page[0].FLOID != "1002" {
		t.Fatalf("page after the first: %+v, %v", page, err)
	}
	last := got[2].Seq
	if seq, err := s.DirectorySeq(ctx); err != nil || seq != last {
		t.Errorf("DirectorySeq: %d, %v, want %d", seq, err, last)
	}

	// A status change gives the operator the next seq; a repeat changes nothing.
	at := base.Add(time.Hour)
	op, err := s.SetOperatorStatus(ctx, "1001", api.StatusSuspended, at)
	if err != nil {
		t.Fatal(err)
	}
	if op.Status != api.StatusSuspended || op.Seq <= last || !op.StatusChangedAt.Equal(at) {
		t.Errorf("after suspending: %+v", op)
	}
	again, err := s.SetOperatorStatus(ctx, "1001", api.StatusSuspended, at.Add(time.Hour))
	if err != nil || again.Seq != op.Seq || !again.StatusChangedAt.Equal(at) {
		t.Errorf("suspending twice: %+v, %v", again, err)
	}
	changed, err := s.DirectoryChanges(ctx, last, 10)
	if err != nil || len(changed) != 1 || changed[0].FLOID != "1001" || changed[0].Status != api.StatusSuspended {
		t.Fatalf("changes after the suspension: %+v, %v", changed, err)
	}
	if one, err := s.Operator(ctx, "1001"); err != nil || one.Seq != op.Seq || one.Status != api.StatusSuspended {
		t.Errorf("Operator: %+v, %v", one, err)
	}

	// Replacing an operator keeps one row of it, with a new seq.
	ops[1].Name = "Tokyo Fair Trade"
	if err := s.PutOperators(ctx, ops[1:2]); err != nil {
		t.Fatal(err)
	}
	all, _ := s.DirectoryChanges(ctx, 0, 10)
	if len(all) != 3 || all[2].FLOID != "1002" || all[2].Name != "Tokyo Fair Trade" {
		t.Errorf("after replacing: %+v", all)
	}

	// Unknown operators.
	for _, id := range []string{"9999", "", "1001' OR 1=1", "\x00", "\xff"} {
		if _, err := s.Operator(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Operator(%q): %v, want ErrNotFound", id, err)
		}
		if _, err := s.SetOperatorStatus(ctx, id, api.StatusCertified, at); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("SetOperatorStatus(%q): %v, want ErrNotFound", id, err)
		}
	}
	if none, err := s.DirectoryChanges(ctx, all[2].Seq, 10); err != nil || len(none) != 0 {
		t.Errorf("changes after the last: %+v, %v", none, err)
	}
}
