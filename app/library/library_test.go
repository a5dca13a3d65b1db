package library_test

import (
	"context"
	"slices"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/library"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// The files library with both sides real: the app's services, the real ecert-server,
// and a real fault-injecting proxy between them that takes the connection away.

const (
	ncEvidence = "NC-150424-2019" // the demo NC awaiting evidence
	ncPayslips = "NC-168802-2018" // its payslips were sent with it
)

func manualApp(t *testing.T, url string) *app.App {
	t.Helper()
	a := app.New(app.Config{DataDir: t.TempDir(), Manual: true})
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if _, err := a.Session.Login(url, "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	return a
}

func syncNow(t *testing.T, a *app.App) {
	t.Helper()
	if err := a.SyncOnce(context.Background(), nil, nil); err != nil {
		t.Fatalf("sync: %v", err)
	}
}

func list(t *testing.T, a *app.App, q library.Query) []library.File {
	t.Helper()
	files, err := a.Library.List(q)
	if err != nil {
		t.Fatalf("list %+v: %v", q, err)
	}
	return files
}

func names(files []library.File) []string {
	out := []string{}
	for _, f := range files {
		out = append(out, f.Name)
	}
	return out
}

func TestLibraryListsAndSearchesTheOrganisationsFiles(t *testing.T) {
	srv := servertest.Start(t)
	a := manualApp(t, srv.URL)

	all := list(t, a, library.Query{})
	want := []string{"Audits 10-12 October 2018.xlsx", "Bulletins de paie Baham.pdf", "Contrat de certification.pdf", "image.png"}
	for _, n := range want {
		if !slices.Contains(names(all), n) {
			t.Errorf("the library lacks %s: %v", n, names(all))
		}
	}
	var kinds []string
	for _, f := range all {
		kinds = append(kinds, f.Kinds...)
		if !f.OnServer || !api.ValidSHA256(f.SHA256) {
			t.Errorf("%s: %+v", f.Name, f)
		}
		if f.Name == "Bulletins de paie Baham.pdf" && (!slices.Equal(f.NCs, []string{ncPayslips}) || f.Uses[0].State != "submitted") {
			t.Errorf("where the payslips are used: %+v", f)
		}
	}
	for _, k := range []string{library.KindEvidence, library.KindDocument, library.KindCertificate} {
		if !slices.Contains(kinds, k) {
			t.Errorf("no file of kind %s", k)
		}
	}

	for _, c := range []struct {
		name string
		q    library.Query
		want []string
	}{
		// By name, case and accents ignored, words in any order.
		{"a word of the name", library.Query{Text: "bulletins"}, []string{"Bulletins de paie Baham.pdf"}},
		{"capitals and accents", library.Query{Text: "BULLETÏNS Bahâm"}, []string{"Bulletins de paie Baham.pdf"}},
		// By subject, by NC, by type.
		{"the subject", library.Query{Text: "paie du mois"}, []string{"Bulletins de paie Baham.pdf"}},
		{"the NC", library.Query{Text: "nc-168802"}, []string{"Bulletins de paie Baham.pdf"}},
		{"the extension", library.Query{Text: "xlsx"}, []string{"Audits 10-12 October 2018.xlsx"}},
		{"the document's type", library.Query{Text: "contract"}, []string{"Contrat de certification.pdf"}},
		{"a kind", library.Query{Kind: library.KindDocument}, []string{"Contrat de certification.pdf"}},
		{"nothing matches", library.Query{Text: "introuvable"}, []string{}},
	} {
		if got := names(list(t, a, c.q)); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestLinkGoesOfflineQueuedAndOnceWithNoUpload(t *testing.T) {
	srv := servertest.Start(t)
	proxy := servertest.NewProxy(t, srv.URL)
	a := manualApp(t, proxy.URL)
	payslips := list(t, a, library.Query{Text: "bulletins"})[0]
	used, err := srv.Limits(context.Background(), demo.OrgCoop)
	if err != nil {
		t.Fatal(err)
	}

	// Where it may go: the NC awaiting evidence, which does not have it yet.
	targets, err := a.Library.Targets(payslips.SHA256)
	if err != nil || len(targets) != 1 || targets[0].NCID != ncEvidence || targets[0].Linked {
		t.Fatalf("targets: %+v, %v", targets, err)
	}

	// Offline: the link is queued, shown at once, and a second link is the same one.
	proxy.AddToxic("down", "reset_peer", "upstream", `"timeout": 0`)
	res, err := a.Library.Link(ncEvidence, payslips.SHA256, "Bulletins signés")
	if err != nil || res.ID == "" || res.Already {
		t.Fatalf("link offline: %+v, %v", res, err)
	}
	again, err := a.Library.Link(ncEvidence, payslips.SHA256, "Bulletins signés")
	if err != nil || again.ID != res.ID || !again.Already {
		t.Fatalf("the same link again: %+v, %v", again, err)
	}
	if err := a.SyncOnce(context.Background(), nil, nil); err == nil {
		t.Fatal("a sync through the cut link succeeded")
	}
	now := list(t, a, library.Query{Text: "bulletins"})[0]
	if !slices.Equal(now.NCs, []string{ncEvidence, ncPayslips}) {
		t.Errorf("used by, offline: %v", now.NCs)
	}
	d, err := a.Portal.NC(ncEvidence)
	if err != nil {
		t.Fatal(err)
	}
	if n := countFile(d.Evidence, payslips.SHA256); n != 1 {
		t.Errorf("the NC shows the linked file %d times offline", n)
	}

	// Back online: it goes once, as a reference only.
	proxy.RemoveToxic("down")
	syncNow(t, a)
	syncNow(t, a)
	after, err := srv.Limits(context.Background(), demo.OrgCoop)
	if err != nil {
		t.Fatal(err)
	}
	if after.UsedBytes != used.UsedBytes {
		t.Errorf("used bytes went from %d to %d: the file was uploaded again", used.UsedBytes, after.UsedBytes)
	}
	other := manualApp(t, srv.URL) // another computer of the organisation
	d, err = other.Portal.NC(ncEvidence)
	if err != nil {
		t.Fatal(err)
	}
	if n := countFile(d.Evidence, payslips.SHA256); n != 1 {
		t.Fatalf("the server has the linked file %d times on %s", n, ncEvidence)
	}
	for _, r := range d.Evidence {
		if r.Evidence.File.SHA256 == payslips.SHA256 && (r.Evidence.ID != res.ID || r.Evidence.Subject != "Bulletins signés" ||
			r.Evidence.File.Name != payslips.Name) {
			t.Errorf("linked evidence on the server: %+v", r.Evidence)
		}
	}
	if targets, _ := other.Library.Targets(payslips.SHA256); len(targets) != 1 || !targets[0].Linked {
		t.Errorf("targets after the link: %+v", targets)
	}
	if st := a.Sync.Status(); st.Pending != 0 {
		t.Errorf("%d entries still pending", st.Pending)
	}
}

func TestLinkRefusals(t *testing.T) {
	srv := servertest.Start(t)
	a := manualApp(t, srv.URL)
	contract := list(t, a, library.Query{Kind: library.KindDocument})[0]
	for _, c := range []struct {
		name, nc, sha, code string
	}{
		{"an NC at the CA step", "NC-167140-2019", contract.SHA256, api.CodeNotAwaitingEvidence},
		{"an NC that does not exist", "NC-000000-2019", contract.SHA256, api.CodeNCNotFound},
		{"a hash the organisation does not have", ncEvidence, "0000000000000000000000000000000000000000000000000000000000000000", api.CodeFileUnknown},
		{"not a hash", ncEvidence, "../../etc/passwd", api.CodeFileUnknown},
	} {
		if _, err := a.Library.Link(c.nc, c.sha, ""); app.Code(err) != c.code {
			t.Errorf("%s: got %v, want %s", c.name, err, c.code)
		}
	}
	if st := a.Sync.Status(); st.Pending != 0 {
		t.Errorf("refused links queued %d entries", st.Pending)
	}
}

func countFile(rows []app.EvidenceRow, sha string) int {
	n := 0
	for _, r := range rows {
		if r.Evidence.File.SHA256 == sha {
			n++
		}
	}
	return n
}
