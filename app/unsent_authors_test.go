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

// What is written on this computer and not on the server yet names its author, the
// person logged in here, as what came down with a sync does: the draft, the message and
// the file on the NC screen, the NC's trail, and the register.
func TestUnsentWorkNamesItsAuthor(t *testing.T) {
	a, srv, _, _ := loggedInApp(t)
	const nc = "NC-167140-2019"
	const me = "Marie Ngo Bassa"
	srv.Close() // offline: nothing leaves this computer

	const text = "Former les récolteurs au port des gants."
	if _, err := a.CA.SaveDraft(nc, text); err != nil {
		t.Fatal(err)
	}
	if err := a.Outbox.Message(nc, "Les photos suivent demain."); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "registre-formations.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.4 registre"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Evidence.AddFiles("NC-150424-2019", []string{file}); err != nil {
		t.Fatal(err)
	}

	d, err := a.Portal.NC(nc)
	if err != nil {
		t.Fatal(err)
	}
	if d.Local == nil || d.Local.WrittenBy != "coop" || d.Local.WrittenByName != me {
		t.Errorf("the draft written here: %+v, want written by coop, %s", d.Local, me)
	}
	if len(d.Pending) != 1 || d.Pending[0].Author != "coop" || d.Pending[0].AuthorName != me {
		t.Errorf("the message not sent: %+v", d.Pending)
	}
	ev, err := a.Portal.NC("NC-150424-2019")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range ev.Evidence {
		if r.Evidence.File.Name == "registre-formations.pdf" {
			found = true
			if !r.Local || r.Evidence.AddedBy != "coop" || r.Evidence.AddedByName != me {
				t.Errorf("the file attached here: %+v", r)
			}
		}
	}
	if !found {
		t.Errorf("the file attached here is not listed: %+v", ev.Evidence)
	}

	entries, err := a.Audit.NCTrail(nc)
	if err != nil || len(entries) == 0 {
		t.Fatalf("the NC's trail: %+v, %v", entries, err)
	}
	for _, e := range entries {
		if e.Author != "coop" || e.AuthorName != me {
			t.Errorf("trail entry %d: author %q (%q), want coop (%s)", e.Seq, e.Author, e.AuthorName, me)
		}
	}

	// The register names the draft's author beside the draft.
	path := filepath.Join(t.TempDir(), "registre.xlsx")
	if _, err := exports.WriteRegister(context.Background(), a.Export, path, "xlsx", app.FilterAll, "fr", nil); err != nil {
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
	idCol, textCol, byCol := col("N° NC"), col("Mesure corrective"), col("MC rédigée par")
	evCol, evByCol := col("Preuves matérielles"), col("PM ajoutées par")
	cell := func(r []string, i int) string {
		if i < len(r) {
			return r[i]
		}
		return ""
	}
	var draftRow, evidenceRow []string
	for _, r := range rows[4:] {
		switch cell(r, idCol) {
		case nc:
			draftRow = r
		case "NC-150424-2019":
			evidenceRow = r
		}
	}
	if draftRow == nil || cell(draftRow, textCol) != text || cell(draftRow, byCol) != me {
		t.Errorf("the register's row of %s: %q, want %q by %s", nc, draftRow, text, me)
	}
	// The file attached here is listed with its NC, said not sent yet, and by whom.
	if evidenceRow == nil || !strings.Contains(cell(evidenceRow, evCol), "registre-formations.pdf") ||
		!strings.Contains(cell(evidenceRow, evCol), "pas encore envoyée") || !strings.Contains(cell(evidenceRow, evByCol), me) {
		t.Errorf("the register's row of NC-150424-2019: evidence %q added by %q, want registre-formations.pdf, not sent yet, by %s",
			cell(evidenceRow, evCol), cell(evidenceRow, evByCol), me)
	}
}
