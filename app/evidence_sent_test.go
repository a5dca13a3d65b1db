package app_test

import (
	"context"
	"slices"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/attach"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// Found by the fault harness (sync/soak): while an NC's evidence submission waits in the
// outbox (offline, or its answer lost), the evidence can neither be marked ready again
// (a second submission) nor get another file (which the server would refuse, arriving
// after the submission). Once the analyst returns it, both work again.
func TestEvidenceWaitingToBeSentTakesNothingMore(t *testing.T) {
	srv := servertest.Start(t)
	a, proxy := proxiedApp(t, srv)
	ctx := context.Background()
	first, _ := randomFile(t, 4000, 1)
	attachTo(t, a, ncEvidence, first)
	syncNow(t, a) // the file is on the server; the NC awaits its submission

	offline(proxy)
	if err := a.Evidence.SetReady(ncEvidence, true); err != nil {
		t.Fatal(err)
	}
	if r, err := a.CA.Send(); err != nil || !slices.Contains(r.Queued, ncEvidence) {
		t.Fatalf("send: %+v %v", r, err)
	}
	a.SyncOnce(ctx, nil, nil) // offline: the submission is queued, not sent

	second, _ := randomFile(t, 4000, 2)
	if _, err := a.Attach(ctx, ncEvidence, []string{second}, attach.SourceCLI); !isCode(err, api.CodeEvidenceSent) {
		t.Errorf("attach while the submission waits: %v, want %s", err, api.CodeEvidenceSent)
	}
	if err := a.Evidence.SetReady(ncEvidence, true); !isCode(err, api.CodeEvidenceSent) {
		t.Errorf("ready again while the submission waits: %v, want %s", err, api.CodeEvidenceSent)
	}

	online(proxy)
	syncNow(t, a)
	if err := srv.ReturnEvidence(ctx, "analyst", "3542", ncEvidence, "Illisible.", ""); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	attachTo(t, a, ncEvidence, second)
	if err := a.Evidence.SetReady(ncEvidence, true); err != nil {
		t.Errorf("ready after the return: %v", err)
	}
	nc, _ := serverNC(t, srv, ncEvidence)
	if len(nc.EvidenceHistory) != 1 {
		t.Errorf("%d submissions on the server, want 1", len(nc.EvidenceHistory))
	}
}

// Evidence marked ready with no file is kept back by Send (the confirmation lists it)
// rather than queued for the server to refuse.
func TestSendKeepsBackEvidenceWithoutFiles(t *testing.T) {
	a, srv, _, _ := loggedInApp(t)
	ctx := context.Background()
	// The demo NC has files from the start: the organisation takes them away first.
	d, err := a.Portal.NC(ncEvidence)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range d.Evidence {
		if err := srv.Delete(ctx, "3542", api.EntityEvidence, row.Evidence.ID); err != nil {
			t.Fatal(err)
		}
	}
	syncNow(t, a)
	if err := a.Evidence.SetReady(ncEvidence, true); err != nil {
		t.Fatal(err)
	}
	p, err := a.CA.SendPreview()
	if err != nil || !slices.Contains(p.NoFiles, ncEvidence) {
		t.Fatalf("preview: %+v %v", p, err)
	}
	r, err := a.CA.Send()
	if err != nil || slices.Contains(r.Queued, ncEvidence) {
		t.Fatalf("send queued evidence without files: %+v %v", r, err)
	}
	syncNow(t, a)
	items, _ := a.Outbox.List()
	for _, it := range items {
		t.Errorf("outbox entry after send: %+v", it)
	}
	nc, _ := serverNC(t, srv, ncEvidence)
	if len(nc.EvidenceHistory) != 0 {
		t.Errorf("a submission without files reached the server: %+v", nc.EvidenceHistory)
	}
	// Once a file is attached, the same ready mark sends it.
	path, _ := randomFile(t, 3000, 3)
	attachTo(t, a, ncEvidence, path)
	if r, err := a.CA.Send(); err != nil || !slices.Contains(r.Queued, ncEvidence) {
		t.Fatalf("send with a file: %+v %v", r, err)
	}
}
