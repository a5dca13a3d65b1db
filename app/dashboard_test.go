package app_test

import (
	"context"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// The dashboard carries the first page of what needs action and the total; the rest
// comes page by page, in the same order, each NC once.
func TestDashboardShipsAPageOfActionsAndTheRestOnRequest(t *testing.T) {
	srv := servertest.Start(t)
	if err := srv.GenerateLarge(context.Background(), demo.GenerateOptions{Audits: 3, NCs: 300, Messages: 10, Evidence: 5}); err != nil {
		t.Fatal(err)
	}
	a := newApp(t, t.TempDir(), &recorder{})
	if _, err := a.Session.Login(srv.URL, "large", "large"); err != nil {
		t.Fatal(err)
	}
	if err := a.SyncOnce(context.Background(), nil, nil); err != nil {
		t.Fatal(err)
	}
	d, err := a.Portal.Dashboard()
	if err != nil {
		t.Fatal(err)
	}
	if d.ActionsTotal <= app.DashboardPage || d.ActionsTotal != d.CACount+d.EvidenceCount {
		t.Fatalf("%d actions in all, %d CAs and %d evidence; want more than a page, the sum", d.ActionsTotal, d.CACount, d.EvidenceCount)
	}
	if len(d.Actions) != app.DashboardPage {
		t.Fatalf("the dashboard carries %d actions, want %d", len(d.Actions), app.DashboardPage)
	}
	first, err := a.Portal.DashboardActions(0, app.DashboardPage)
	if err != nil {
		t.Fatal(err)
	}
	rest, err := a.Portal.DashboardActions(app.DashboardPage, 1000)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i, r := range append(first, rest...) {
		if i < len(d.Actions) && d.Actions[i].NC.ID != r.NC.ID {
			t.Errorf("row %d: %s in the dashboard, %s by page", i, d.Actions[i].NC.ID, r.NC.ID)
		}
		if seen[r.NC.ID] || r.Action == "" {
			t.Errorf("row %d: %s twice, or with no action (%q)", i, r.NC.ID, r.Action)
		}
		seen[r.NC.ID] = true
	}
	if len(seen) != d.ActionsTotal {
		t.Errorf("the pages hold %d NCs, want %d", len(seen), d.ActionsTotal)
	}
	if past, err := a.Portal.DashboardActions(d.ActionsTotal, 10); err != nil || len(past) != 0 {
		t.Errorf("past the end: %d rows, %v", len(past), err)
	}
	for _, bad := range [][2]int{{-1, 10}, {0, 0}, {0, 1001}} {
		if _, err := a.Portal.DashboardActions(bad[0], bad[1]); !isCode(err, api.CodeInvalidInput) {
			t.Errorf("DashboardActions(%d, %d): %v, want invalid_input", bad[0], bad[1], err)
		}
	}
}

// Prepare, which the window calls as the replica opens, leaves the NCs decoded: the
// dashboard's first call does not wait for their decoding.
func TestPrepareDecodesTheNCsBeforeTheFirstCall(t *testing.T) {
	srv := servertest.Start(t)
	if err := srv.GenerateLarge(context.Background(), demo.GenerateOptions{Audits: 2, NCs: 60, Messages: 5, Evidence: 2}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a := newApp(t, dir, &recorder{})
	if _, err := a.Session.Login(srv.URL, "large", "large"); err != nil {
		t.Fatal(err)
	}
	if err := a.SyncOnce(context.Background(), nil, nil); err != nil {
		t.Fatal(err)
	}
	a.Close()

	// The next start, as the window's (without its sync, which would race the check):
	// nothing decoded until Prepare.
	a = app.New(app.Config{DataDir: dir, Platform: &recorder{}, Manual: true})
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if a.Store().Portal.NCsDecoded() {
		t.Fatal("the NCs are decoded before anything read them")
	}
	a.Prepare(context.Background())
	if !a.Store().Portal.NCsDecoded() {
		t.Fatal("Prepare left the NCs to decode at the dashboard's first call")
	}
}
