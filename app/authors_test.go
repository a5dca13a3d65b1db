package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/exports"
)

// Who wrote what, on separate replicas of one organisation: a staff member drafts the
// CA and the manager sends it as it is; two staff attach evidence. Every replica shows
// each author, and the register (read back by excelize and pdftotext) names the
// responsible person, the internal due date, the CA's author and the evidence's.
func TestTheRegisterNamesWhoWroteWhat(t *testing.T) {
	manager, srv, _, _ := loggedInApp(t)
	awa, err := manager.Team.AddStaff("awa.field", "Awa Ndiaye")
	if err != nil {
		t.Fatal(err)
	}
	login := func(user, password string) *app.App {
		a := newApp(t, t.TempDir(), &recorder{})
		if _, err := a.Session.Login(srv.URL, user, password); err != nil {
			t.Fatalf("login %s: %v", user, err)
		}
		eventually(t, user+"'s first sync", func() bool { s := a.Sync.Status(); return s.LastSync != "" && !s.Syncing })
		return a
	}
	jean, field := login("coop-staff", "coop-staff"), login("awa.field", awa.Password)
	const caNC, evNC = "NC-167140-2019", "NC-150424-2019"
	const jeanName, awaName = "Jean-Paul Essomba", "Awa Ndiaye"
	sender := manager.Session.State().Name
	if sender == "" || sender == jeanName {
		t.Fatalf("the manager's name: %q", sender)
	}

	if _, err := manager.Team.Assign(caNC, "coop-staff", "2019-05-24"); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, manager)
	const text = "Former les récolteurs au port des gants ; registre signé chaque semaine."
	if _, err := jean.CA.SaveDraft(caNC, text); err != nil {
		t.Fatal(err)
	}
	attach := func(a *app.App, name string) {
		file := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(file, []byte("%PDF-1.4 "+name), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Evidence.AddFiles(evNC, []string{file}); err != nil {
			t.Fatal(err)
		}
		syncOnce(t, a)
	}
	attach(field, "registre.pdf")
	attach(jean, "photos-gants.pdf")
	syncOnce(t, jean)

	// The manager sees who wrote the shared draft, marks it ready as it is and sends.
	syncOnce(t, manager)
	d, err := manager.Portal.NC(caNC)
	if err != nil || d.SharedDraft == nil || d.SharedDraft.UpdatedByName != jeanName {
		t.Fatalf("the shared draft on the manager's replica: %+v, %v", d.SharedDraft, err)
	}
	if _, err := manager.CA.SetReady(caNC, d.SharedDraft.Text, true); err != nil {
		t.Fatal(err)
	}
	if _, err := manager.CA.Send(); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, manager)
	syncOnce(t, jean)
	for who, a := range map[string]*app.App{"manager": manager, "jean": jean} {
		d, err := a.Portal.NC(caNC)
		if err != nil {
			t.Fatal(err)
		}
		h := d.Row.NC.CAHistory
		if len(h) != 1 || h[0].WrittenBy != "coop-staff" || h[0].WrittenByName != jeanName || h[0].SubmittedBy != sender {
			t.Errorf("the CA sent, on %s's replica: %+v", who, h)
		}
		ev, _ := a.Portal.NC(evNC)
		added := map[string]string{}
		for _, e := range ev.Evidence {
			added[e.Evidence.File.Name] = e.Evidence.AddedBy + "/" + e.Evidence.AddedByName
		}
		if added["registre.pdf"] != "awa.field/"+awaName || added["photos-gants.pdf"] != "coop-staff/"+jeanName {
			t.Errorf("the evidence's authors on %s's replica: %v", who, added)
		}
	}

	// The register, as a workbook in French.
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "registre.xlsx")
	if _, err := exports.WriteRegister(ctx, manager.Export, path, "xlsx", app.FilterAll, "fr", nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Registre")
	if err != nil {
		t.Fatal(err)
	}
	header := rows[3]
	col := func(title string) int {
		for i, h := range header {
			if h == title {
				return i
			}
		}
		t.Fatalf("no column %q in %v", title, header)
		return -1
	}
	cell := func(r []string, title string) string {
		if i := col(title); i < len(r) {
			return r[i]
		}
		return ""
	}
	byNC := map[string][]string{}
	for _, r := range rows[4:] {
		byNC[cell(r, "N° NC")] = r
	}
	ca, ev := byNC[caNC], byNC[evNC]
	for _, c := range []struct {
		row         []string
		title, want string
	}{
		{ca, "Responsable", jeanName},
		{ca, "MC rédigée par", jeanName},
		{ca, "MC envoyée par", sender},
		{ev, "Responsable", ""},
		// In the evidence list's order, which follows the files' ids (random per replica).
		{ev, "PM ajoutées par", jeanName + ", " + awaName},
	} {
		if got := cell(c.row, c.title); got != c.want && got != swapped(c.want) {
			t.Errorf("%s: got %q, want %q", c.title, got, c.want)
		}
	}
	// The internal due date is a date cell, shown in the reader's date order.
	if got := cell(ca, "Échéance interne"); !strings.Contains(got, "24") || !strings.Contains(got, "5") {
		t.Errorf("internal due date: got %q, want 24 May 2019", got)
	}

	// The register, as a PDF in English.
	path = filepath.Join(t.TempDir(), "register.pdf")
	if _, err := exports.WriteRegister(ctx, manager.Export, path, "pdf", app.FilterAll, "en", nil); err != nil {
		t.Fatal(err)
	}
	pdf := strings.Join(strings.Fields(pdfText(t, path)), " ")
	for _, want := range []string{
		"Responsible person: " + jeanName, "Internal due date 24 May 2019",
		"CA written by: " + jeanName, "Evidence added by: " + jeanName + ", " + awaName,
	} {
		if !strings.Contains(pdf, want) && !strings.Contains(pdf, swapped(want)) {
			t.Errorf("the PDF does not say %q:\n%s", want, pdf)
		}
	}
}

// swapped is a list of two names the other way round ("Evidence added by: A, B" gives
// "Evidence added by: B, A"); other text is returned as it is.
func swapped(s string) string {
	prefix, names := "", s
	if i := strings.LastIndex(s, ": "); i >= 0 {
		prefix, names = s[:i+2], s[i+2:]
	}
	a, b, ok := strings.Cut(names, ", ")
	if !ok {
		return s
	}
	return prefix + b + ", " + a
}
