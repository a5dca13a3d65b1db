package app_test

import (
	"context"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/partners"
	"github.com/ecert-desktop/ecert-desktop/app/store/directory"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// TestPartnersOfflineAndOnline: the first sync brings the directory; the search works
// with the server down; a status check asks the server when it answers and says when
// it could not; a suspension in the console reaches the copy with the next sync, in
// one round trip.
func TestPartnersOfflineAndOnline(t *testing.T) {
	a, srv, _, _ := loggedInApp(t)
	ctx := context.Background()
	ps := service[*partners.Partners](a)

	res, err := ps.Search(partners.PartnerSearch{Text: "planteurs mont vert"})
	if err != nil || len(res.Partners) != 1 || res.Partners[0].FLOID != "3542" {
		t.Fatalf("search after the first sync: %+v, %v", res, err)
	}
	if res.Freshness.Operators != 1002 || res.Freshness.SyncedAt == "" {
		t.Errorf("freshness %+v, want 1,002 operators and a date", res.Freshness)
	}

	// Online: the server's answer, and when.
	st, err := ps.Status("3542")
	if err != nil || !st.Checked || st.CheckedAt == "" || st.Status != api.StatusCertified {
		t.Fatalf("status online: %+v, %v", st, err)
	}
	if _, err := ps.Status("no-such-operator"); !isCode(err, api.CodePartnerUnknown) {
		t.Errorf("an unknown FLO ID: %v", err)
	}

	// The analyst suspends 50 operators; the next sync brings exactly those, in one
	// request of the directory, small.
	certified, err := a.Store().Directory.Search(ctx, directory.PartnerQuery{Status: api.StatusCertified, Limit: 50})
	if err != nil || len(certified.Partners) != 50 {
		t.Fatalf("50 certified operators: %d, %v", len(certified.Partners), err)
	}
	for _, p := range certified.Partners {
		if _, err := srv.Directory().Suspend(ctx, p.FLOID); err != nil {
			t.Fatal(err)
		}
	}
	requests, bytes := srv.Requests.Load(), srv.Bytes.Load()
	if err := a.SyncOnce(ctx, nil, nil); err != nil {
		t.Fatal(err)
	}
	requests, bytes = srv.Requests.Load()-requests, srv.Bytes.Load()-bytes
	t.Logf("sync after 50 suspensions: %d requests, %d bytes", requests, bytes)
	if requests != 2 || bytes > 10<<10 {
		t.Errorf("sync after 50 suspensions: %d requests (want the changes' and the directory's), %d bytes (want ≤ 10 KB)", requests, bytes)
	}
	// With nothing new, the directory costs no request: the change page says its seq.
	requests = srv.Requests.Load()
	if err := a.SyncOnce(ctx, nil, nil); err != nil {
		t.Fatal(err)
	}
	if n := srv.Requests.Load() - requests; n != 1 {
		t.Errorf("idle sync: %d requests, want 1", n)
	}
	suspended, _ := a.Store().Directory.Search(ctx, directory.PartnerQuery{Status: api.StatusSuspended, Limit: directory.MaxPartners})
	found := map[string]bool{}
	for _, p := range suspended.Partners {
		found[p.FLOID] = true
	}
	for _, p := range certified.Partners {
		if !found[p.FLOID] {
			t.Errorf("%s is not suspended in the copy", p.FLOID)
		}
	}

	// Offline: the search works, the status comes from the copy, saying why.
	srv.SetDown(true)
	if res, err := ps.Search(partners.PartnerSearch{Text: "riviere"}); err != nil || len(res.Partners) != 1 {
		t.Errorf("search offline: %+v, %v", res, err)
	}
	st, err = ps.Status(certified.Partners[0].FLOID)
	if err != nil || st.Checked || st.NotChecked == "" || st.Status != api.StatusSuspended || st.CopyAt == "" {
		t.Errorf("status offline: %+v, %v", st, err)
	}
	if _, err := ps.Status("no-such-operator"); !isCode(err, api.CodePartnerUnknown) {
		t.Errorf("an unknown FLO ID offline: %v", err)
	}
}
