package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// The corrective-measure cycle with both sides real: the in-process ecert-server and
// the app's services, as the UI calls them.

const coop = demo.OrgCoop

// syncNow runs one full sync of a and waits for it to end.
func syncNow(t *testing.T, a *app.App) {
	t.Helper()
	if err := a.SyncOnce(context.Background(), nil, nil); err != nil {
		t.Fatalf("sync: %v", err)
	}
}

// serverNC reads an NC as the server has it, through a fresh replica's pull.
func serverNC(t *testing.T, srv *servertest.Server, id string) (api.NC, []api.Message) {
	t.Helper()
	b := newApp(t, t.TempDir(), &recorder{})
	if _, err := b.Session.Login(srv.URL, "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	syncNow(t, b)
	d, err := b.Portal.NC(id)
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	return d.Row.NC, d.Messages
}

func TestTheWholeCorrectiveMeasureCycle(t *testing.T) {
	a, srv, p, _ := loggedInApp(t)
	ctx := context.Background()
	// 1. The auditor enters an NC: the client does not see it.
	entered := api.NC{ID: "NC-900001-2026", AuditID: "AO-38369", CriterionNumber: "3.1.0.01",
		CriterionText: "Les travailleurs reçoivent un contrat écrit.", CriterionType: "core",
		Finding: "Trois travailleurs saisonniers sans contrat.", Score: 2}
	if err := srv.EnterNC(ctx, "auditor", coop, entered); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	if _, err := a.Portal.NC(entered.ID); err == nil {
		t.Fatal("the client sees an NC the analyst has not confirmed")
	}
	// 2. The analyst confirms it and requests a CA.
	if err := srv.ConfirmNC(ctx, "analyst", coop, entered.ID, "2026-12-31"); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	rows, _ := a.Portal.NCs(app.FilterCA)
	if !hasNC(rows, entered.ID) {
		t.Fatalf("%s not among the CAs to submit after confirmation", entered.ID)
	}
	// 3. Offline, the client drafts, marks ready and sends: it is queued.
	srv.SetDown(true)
	if _, err := a.CA.Autosave(entered.ID, "Contrats écrits"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CA.SaveDraft(entered.ID, "Contrats écrits pour tous"); err != nil {
		t.Fatal(err)
	}
	text := "Contrats écrits pour tous les saisonniers dès l'embauche, contrôlés chaque mois."
	if _, err := a.CA.SetReady(entered.ID, text, true); err != nil {
		t.Fatal(err)
	}
	if err := a.Outbox.Message(entered.ID, "Voici notre proposition."); err != nil {
		t.Fatal(err)
	}
	res, err := a.CA.Send()
	if err != nil || len(res.Queued) != 1 || res.Queued[0] != entered.ID {
		t.Fatalf("send offline: %+v %v", res, err)
	}
	if err := a.SyncOnce(ctx, nil, nil); client.Code(err) != api.CodeUnreachable {
		t.Fatalf("sync offline: got %v", err)
	}
	if n := a.Sync.Status().Pending; n == 0 {
		t.Fatal("nothing pending after sending offline")
	}
	// The connection returns: everything goes.
	srv.SetDown(false)
	syncNow(t, a)
	if n := a.Sync.Status().Pending; n != 0 {
		t.Fatalf("%d entries still pending online", n)
	}
	d, _ := a.Portal.NC(entered.ID)
	if d.Row.NC.Stage != api.StageCASubmitted || d.Row.NC.CA == nil || d.Row.NC.CA.Text != text {
		t.Fatalf("after sending: stage %s, CA %+v", d.Row.NC.Stage, d.Row.NC.CA)
	}
	// 4. The analyst returns it with a comment; the client is told.
	if err := srv.ReturnCA(ctx, "analyst", coop, entered.ID, "Précisez qui contrôle.", "2027-01-15"); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	d, _ = a.Portal.NC(entered.ID)
	if d.Row.NC.Stage != api.StageCAReturned || d.Row.NC.CA.AnalystComment != "Précisez qui contrôle." || d.Row.Updates == 0 {
		t.Fatalf("after the return: stage %s, comment %q, updates %d", d.Row.NC.Stage, d.Row.NC.CA.AnalystComment, d.Row.Updates)
	}
	if !p.saw(app.EventNotify) {
		t.Error("no notification of the analyst's decision")
	}
	// The client answers again; the analyst accepts and asks for evidence.
	if _, err := a.CA.SetReady(entered.ID, text+" Contrôle par le responsable RH.", true); err != nil {
		t.Fatal(err)
	}
	a.CA.Send()
	syncNow(t, a)
	if err := srv.AcceptCA(ctx, "analyst", coop, entered.ID, true, "Satisfaisant.", "2019-07-15"); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	d, _ = a.Portal.NC(entered.ID)
	if d.Row.NC.Stage != api.StageEvidenceRequested || d.Row.NC.CAStatus != api.StatusAccepted {
		t.Errorf("after acceptance: stage %s, CA status %s", d.Row.NC.Stage, d.Row.NC.CAStatus)
	}
	// The evidence step counts down to its own deadline (today is 20/05/2019), not the CA's.
	if d.Row.Due != "2019-07-15" || d.Row.DaysLeft == nil || *d.Row.DaysLeft != 56 {
		t.Errorf("evidence step due %q, days left %v; want 2019-07-15, 56", d.Row.Due, d.Row.DaysLeft)
	}
	if len(d.Row.NC.CAHistory) != 2 || d.Row.NC.CAHistory[0].Decision != "returned" || d.Row.NC.CAHistory[1].Decision != "accepted" {
		t.Errorf("CA history: %+v", d.Row.NC.CAHistory)
	}
	msgs := 0
	for _, m := range d.Messages {
		if m.Body == "Voici notre proposition." {
			msgs++
		}
	}
	if msgs != 1 {
		t.Errorf("the client's message is on the server %d times, want 1", msgs)
	}
}

// proxiedApp logs a second computer in through a fault-injecting proxy and syncs it.
func proxiedApp(t *testing.T, srv *servertest.Server) (*app.App, *servertest.Proxy) {
	t.Helper()
	proxy := servertest.NewProxy(t, srv.URL)
	b := newApp(t, t.TempDir(), &recorder{})
	if _, err := b.Session.Login(proxy.URL, "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	syncNow(t, b)
	return b, proxy
}

// offline cuts every connection through the proxy before a byte reaches the server.
func offline(p *servertest.Proxy) { p.AddToxic("offline", "limit_data", "upstream", `"bytes": 0`) }

func online(p *servertest.Proxy) { p.RemoveToxic("offline") }

func hasNC(rows []app.NCRow, id string) bool {
	for _, r := range rows {
		if r.NC.ID == id {
			return true
		}
	}
	return false
}

// A response lost after the server committed: the retry must not submit twice.
func TestLostResponseSubmitsExactlyOnce(t *testing.T) {
	srv := servertest.Start(t)
	proxy := servertest.NewProxy(t, srv.URL)
	ctx := context.Background()
	a := newApp(t, t.TempDir(), &recorder{})
	if _, err := a.Session.Login(proxy.URL, "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	const nc = "NC-167140-2019"
	text := "Réunions d'information trimestrielles sur la prime Fairtrade dans chaque plantation."
	// From now on requests reach the server, and no byte of any answer comes back.
	proxy.AddToxic("no-answer", "limit_data", "downstream", `"bytes": 0`)
	if _, err := a.CA.SetReady(nc, text, true); err != nil {
		t.Fatal(err)
	}
	if err := a.Outbox.Message(nc, "Envoyé depuis le terrain."); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CA.Send(); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := a.SyncOnce(ctx, nil, nil); client.Code(err) != api.CodeUnreachable {
			t.Fatalf("sync with answers dropped: got %v", err)
		}
	}
	proxy.RemoveToxic("no-answer")
	syncNow(t, a)
	if n := a.Sync.Status().Pending; n != 0 {
		t.Fatalf("%d entries still pending", n)
	}
	got, msgs := serverNC(t, srv, nc)
	if len(got.CAHistory) != 1 || got.CAHistory[0].Text != text {
		t.Errorf("CA submissions on the server: %d (%+v), want exactly 1", len(got.CAHistory), got.CAHistory)
	}
	n := 0
	for _, m := range msgs {
		if m.Body == "Envoyé depuis le terrain." {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the message is on the server %d times, want exactly 1", n)
	}
}

func TestTwoComputersEditingOneDraftKeepBothTexts(t *testing.T) {
	a, srv, _, _ := loggedInApp(t)
	b, proxy := proxiedApp(t, srv)
	const nc = "NC-173086-2018"
	// Both start from no draft; B, in the field, is offline; A saves first.
	offline(proxy)
	b.CA.SaveDraft(nc, "Texte du terrain")
	a.CA.SaveDraft(nc, "Texte du bureau")
	syncNow(t, a)
	online(proxy)
	syncNow(t, b)
	d, _ := b.Portal.NC(nc)
	if d.Local == nil || d.Local.Notice != api.CodeDraftChanged || d.Local.Text != "Texte du terrain" || d.Local.OtherText != "Texte du bureau" {
		t.Fatalf("the second computer's view after the conflict: %+v", d.Local)
	}
	// B chooses a merge; A then receives it by pull.
	merged := "Texte du bureau, complété sur le terrain"
	if _, err := b.CA.Resolve(nc, merged); err != nil {
		t.Fatal(err)
	}
	syncNow(t, b)
	syncNow(t, a)
	if d, _ = a.Portal.NC(nc); d.Local == nil || d.Local.Text != merged || d.Local.Draft != app.DraftShared {
		t.Errorf("the first computer after the merge: %+v", d.Local)
	}
}

func TestAnalystReturnsWhileTheClientEditsAndClosesWhileQueued(t *testing.T) {
	// Manual syncs only: with the background engine, Send's push would race the
	// analyst's close below.
	srv := servertest.Start(t)
	a := app.New(app.Config{DataDir: t.TempDir(), Platform: &recorder{}, Now: func() time.Time { return today }, Manual: true})
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if _, err := a.Session.Login(srv.URL, "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	ctx := context.Background()
	const nc = "NC-174410-2018"
	// A CA goes, then the client starts a second version while the analyst returns it.
	a.CA.SetReady(nc, "Première version", true)
	a.CA.Send()
	syncNow(t, a)
	srv.ReturnCA(ctx, "analyst", coop, nc, "Trop vague.", "2027-02-01")
	syncNow(t, a)
	if _, err := a.CA.SetReady(nc, "Deuxième version, plus précise", true); err != nil {
		t.Fatal(err)
	}
	a.CA.Send()
	// Before this client syncs, the analyst closes the NC: the queued CA must not go.
	if err := srv.CloseNC(ctx, "analyst", coop, nc, "Clôturée après visite."); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	d, _ := a.Portal.NC(nc)
	if d.Row.NC.Stage != api.StageClosed {
		t.Fatalf("stage: %s", d.Row.NC.Stage)
	}
	if d.Local == nil || d.Local.Text != "Deuxième version, plus précise" || d.Local.Queued || d.Local.Notice == "" {
		t.Errorf("the local CA after the NC was closed while queued: %+v; want the text kept, not queued, a notice", d.Local)
	}
	got, _ := serverNC(t, srv, nc)
	if len(got.CAHistory) != 1 {
		t.Errorf("submissions on the server: %d, want 1 (the queued one must not go)", len(got.CAHistory))
	}
}

func TestReturnedWhileQueuedGoesBackToDraftNeverResubmitted(t *testing.T) {
	a, srv, _, _ := loggedInApp(t)
	ctx := context.Background()
	const nc = "NC-167140-2019"
	// Computer B queues a CA offline, from the NC as it was.
	b, proxy := proxiedApp(t, srv)
	offline(proxy)
	if _, err := b.CA.SetReady(nc, "Version de B", true); err != nil {
		t.Fatal(err)
	}
	if _, err := b.CA.Send(); err != nil {
		t.Fatal(err)
	}
	// Meanwhile computer A sends its own, and the analyst returns it with a comment.
	a.CA.SetReady(nc, "Version de A", true)
	a.CA.Send()
	syncNow(t, a)
	if err := srv.ReturnCA(ctx, "analyst", coop, nc, "Ajoutez un calendrier.", "2027-03-01"); err != nil {
		t.Fatal(err)
	}
	// B's queued CA meets the changed NC: it goes back to draft, with the comment shown.
	online(proxy)
	syncNow(t, b)
	d, _ := b.Portal.NC(nc)
	if d.Local == nil || d.Local.Text != "Version de B" || d.Local.Queued || d.Local.Ready || d.Local.Notice != api.CodeNCChanged {
		t.Fatalf("B's CA after the analyst's return: %+v", d.Local)
	}
	if d.Row.NC.CA == nil || d.Row.NC.CA.AnalystComment != "Ajoutez un calendrier." {
		t.Errorf("the analyst's comment is not beside B's text: %+v", d.Row.NC.CA)
	}
	got, _ := serverNC(t, srv, nc)
	if len(got.CAHistory) != 1 || got.CAHistory[0].Text != "Version de A" {
		t.Fatalf("server history: %+v; B's CA must not have been submitted", got.CAHistory)
	}
	// Nothing goes by itself; B confirms again and it goes.
	syncNow(t, b)
	if got, _ = serverNC(t, srv, nc); len(got.CAHistory) != 1 {
		t.Fatal("B's CA was resubmitted without the user confirming")
	}
	if _, err := b.CA.SetReady(nc, "Version de B, avec calendrier", true); err != nil {
		t.Fatal(err)
	}
	b.CA.Send()
	syncNow(t, b)
	if got, _ = serverNC(t, srv, nc); len(got.CAHistory) != 2 || got.Stage != api.StageCASubmitted {
		t.Errorf("after B confirmed: %d submissions, stage %s", len(got.CAHistory), got.Stage)
	}
}
