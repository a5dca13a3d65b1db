package app_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"
	"github.com/xuri/excelize/v2"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/exports"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// The exports read back with other programs' readers: excelize for the workbook,
// poppler's pdftotext for the PDF, golang-ical for the calendar. The replica is the
// demo cooperative's, synced from the real server, with a CA sent and returned (so the
// register has an author and a decision) and a draft never sent.

const (
	returnedNC = "NC-167140-2019"
	draftNC    = "NC-174410-2018"
	draftText  = "Inspection des trois organisations membres manquantes avant la fin du trimestre."
	comment    = "Précisez le calendrier des séances d'information."
)

// registerApp is the demo cooperative's replica with a CA sent then returned, and a
// local draft.
func registerApp(t *testing.T) *app.App {
	t.Helper()
	a, srv, _, _ := loggedInApp(t)
	if _, err := a.CA.SetReady(returnedNC, "Séances d'information sur la prime dans les trois plantations.", true); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CA.Send(); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	if err := srv.ReturnCA(context.Background(), "analyst", coop, returnedNC, comment, "2019-07-01"); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	if _, err := a.CA.Autosave(draftNC, draftText); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestRegisterXLSXReadsBackWithTheListsRows(t *testing.T) {
	a := registerApp(t)
	ctx := context.Background()
	for _, tc := range []struct {
		lang, filter, sheet, ncCol, stage string
	}{
		{"fr", app.FilterAll, "Registre", "N° NC", "MC retournée"},
		{"es", app.FilterCA, "Registro", "N.º NC", "MC devuelta"},
		{"en", app.FilterHistory, "Register", "NC no.", ""},
		{"pt", app.FilterEvidence, "Registro", "Nº da NC", ""},
	} {
		t.Run(tc.lang+"/"+tc.filter, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "register.xlsx")
			var last [2]int
			n, err := exports.WriteRegister(ctx, a.Export, path, "xlsx", tc.filter, tc.lang, func(done, total int) { last = [2]int{done, total} })
			if err != nil {
				t.Fatal(err)
			}
			want, _ := a.Portal.NCs(tc.filter)
			if n != len(want) || last != [2]int{len(want), len(want)} {
				t.Fatalf("wrote %d rows, last progress %v; want %d", n, last, len(want))
			}
			f, err := excelize.OpenFile(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := f.GetRows(tc.sheet)
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
			nc := col(tc.ncCol)
			if got := len(rows) - 4; got != len(want) {
				t.Fatalf("got %d rows, want %d", got, len(want))
			}
			for i, r := range want {
				if got := rows[4+i][nc]; got != r.NC.ID {
					t.Errorf("row %d: got %s, want %s", i, got, r.NC.ID)
				}
			}
			if !strings.Contains(rows[1][0], "Coopérative") && !strings.Contains(rows[1][0], "3542") {
				t.Errorf("organisation line: got %q", rows[1][0])
			}
			if tc.lang != "fr" {
				return
			}
			// The returned CA: its author, the analyst's decision, the stage in French.
			byNC := map[string][]string{}
			for _, r := range rows[4:] {
				byNC[r[nc]] = r
			}
			ret := byNC[returnedNC]
			d, _ := a.Portal.NC(returnedNC)
			by := d.Row.NC.CAHistory[len(d.Row.NC.CAHistory)-1].SubmittedBy
			if by == "" || ret[col("MC envoyée par")] != by {
				t.Errorf("sent by: got %q, want %q", ret[col("MC envoyée par")], by)
			}
			if got := ret[col("Décisions de l'analyste sur la MC")]; !strings.Contains(got, "retournée — "+comment) {
				t.Errorf("decisions: got %q", got)
			}
			if got := ret[col("Étape")]; got != tc.stage {
				t.Errorf("stage: got %q, want %q", got, tc.stage)
			}
			if got := ret[col("Dû le")]; got == "" {
				t.Error("the due date is empty")
			}
			// A CA decided before the replica's history: its decision is still there.
			acc := byNC["NC-150424-2019"]
			if got := acc[col("Décisions de l'analyste sur la MC")]; !strings.Contains(got, "acceptée — Satisfait. Merci") {
				t.Errorf("decision without history: got %q", got)
			}
			ev, _ := a.Portal.NC("NC-150424-2019")
			if len(ev.Evidence) == 0 {
				t.Fatal("the demo's NC-150424-2019 has no evidence")
			}
			for _, e := range ev.Evidence {
				if got := acc[col("Preuves matérielles")]; !strings.Contains(got, e.Evidence.File.Name) {
					t.Errorf("evidence list %q lacks %s", got, e.Evidence.File.Name)
				}
			}
			dr := byNC[draftNC]
			if dr[col("Mesure corrective")] != draftText || dr[col("Brouillon non envoyé")] != "✓" {
				t.Errorf("draft: got %q / %q", dr[col("Mesure corrective")], dr[col("Brouillon non envoyé")])
			}
		})
	}
}

// The exports speak every language the UI does.
func TestExportsSpeakEveryUILanguage(t *testing.T) {
	if !slices.Equal(exports.Languages, app.Languages) {
		t.Errorf("export languages %v, UI languages %v", exports.Languages, app.Languages)
	}
}

func pdfText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

func TestRegisterPDFReadsBackInTheUsersLanguage(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext (poppler-utils) is needed: build/scripts/setup.sh installs it")
	}
	a := registerApp(t)
	org, _ := a.Portal.Organisation()
	for _, tc := range []struct {
		lang, filter string
		want         []string
	}{
		{"fr", app.FilterAll, []string{"Registre des non-conformités et mesures correctives",
			"Exporté le 20 mai 2019", "MC retournée", "Statut MC : Retournée", comment, "[Brouillon non envoyé]"}},
		{"es", app.FilterOpen, []string{"Registro de no conformidades y medidas correctivas",
			"Exportado el 20 de mayo de 2019", "MC devuelta", "Todas las NC abiertas"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "register.pdf")
			if _, err := exports.WriteRegister(context.Background(), a.Export, path, "pdf", tc.filter, tc.lang, nil); err != nil {
				t.Fatal(err)
			}
			text := pdfText(t, path)
			pagesNumbered(t, text, map[string]string{"fr": "Page", "es": "Página"}[tc.lang])
			for _, w := range append(tc.want, org.Name) {
				if !strings.Contains(text, w) {
					t.Errorf("the PDF does not say %q:\n%s", w, text)
				}
			}
			rows, _ := a.Portal.NCs(tc.filter)
			all, _ := a.Portal.NCs(app.FilterAll)
			in := map[string]bool{}
			for _, r := range rows {
				in[r.NC.ID] = true
			}
			for _, r := range all {
				if got := strings.Contains(text, r.NC.ID); got != in[r.NC.ID] {
					t.Errorf("%s in the PDF: %v, in the list: %v", r.NC.ID, got, in[r.NC.ID])
				}
			}
		})
	}
}

// pagesNumbered checks that the pages say "Page n / N", n from 1 to N.
func pagesNumbered(t *testing.T, text, word string) {
	t.Helper()
	found := regexp.MustCompile(word+` (\d+) / (\d+)`).FindAllStringSubmatch(text, -1)
	if len(found) == 0 {
		t.Fatalf("no page number in:\n%s", text)
	}
	for i, m := range found {
		if m[1] != strconv.Itoa(i+1) || m[2] != strconv.Itoa(len(found)) {
			t.Errorf("page %d says %s", i+1, m[0])
		}
	}
}

func TestExportRefusesBadInputAndWritesNothing(t *testing.T) {
	a, _, _, _ := loggedInApp(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		name, path, format, filter, code string
	}{
		{"unknown format", filepath.Join(dir, "a.docx"), "docx", app.FilterAll, api.CodeInvalidInput},
		{"unknown filter", filepath.Join(dir, "a.xlsx"), "xlsx", "mine-and-yours", api.CodeInvalidInput},
		{"missing folder", filepath.Join(dir, "no", "such", "a.pdf"), "pdf", app.FilterAll, api.CodeNotWritable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := exports.WriteRegister(context.Background(), a.Export, tc.path, tc.format, tc.filter, "fr", nil)
			if got := app.Code(err); got != tc.code {
				t.Fatalf("got %q (%v), want %q", got, err, tc.code)
			}
		})
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("files left behind: %v", left)
	}
	// The bound method says the same in a code, and a cancelled dialog writes nothing.
	if _, err := a.Export.Register("docx", app.FilterAll, nil); !isCode(err, api.CodeInvalidInput) {
		t.Errorf("bound Register(docx): got %v", err)
	}
	if r, err := a.Export.Register("pdf", app.FilterAll, nil); err != nil || r.Path != "" {
		t.Errorf("cancelled dialog: got %+v, %v", r, err)
	}
}

// The window's way: the save dialog answers a path, the progress goes to the window as
// events, and "Open" opens that file and no other.
func TestBoundExportSavesWhereTheDialogSaysAndOpensIt(t *testing.T) {
	a, _, p, _ := loggedInApp(t)
	if err := a.Export.OpenLast(); !isCode(err, api.CodeNotFound) {
		t.Errorf("OpenLast before any export: got %v", err)
	}
	p.saveTo = filepath.Join(t.TempDir(), "registre.pdf")
	r, err := a.Export.Register("pdf", app.FilterOpen, nil)
	if err != nil || r.Path != p.saveTo || r.Rows == 0 {
		t.Fatalf("Register: %+v, %v", r, err)
	}
	// A search narrows the list: only the NCs it shows (of the filter's) are written.
	searched := filepath.Join(filepath.Dir(p.saveTo), "searched.pdf")
	p.saveTo = searched
	r, err = a.Export.Register("pdf", app.FilterOpen, []string{returnedNC, "NC-131877-2018"}) // the second is closed
	if err != nil || r.Rows != 1 {
		t.Fatalf("Register of a search: %+v, %v; want 1 row", r, err)
	}
	if text := pdfText(t, searched); !strings.Contains(text, returnedNC) || strings.Contains(text, "NC-131877-2018") ||
		strings.Contains(text, "NC-150424-2019") {
		t.Errorf("searched register:\n%s", text)
	}
	if _, err := os.Stat(p.saveTo); err != nil {
		t.Fatal(err)
	}
	if !p.saw(exports.EventProgress) {
		t.Error("no export:progress event")
	}
	if err := a.Export.OpenLast(); err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	opened := slices.Clone(p.opened)
	p.mu.Unlock()
	if len(opened) != 1 || opened[0] != p.saveTo {
		t.Errorf("opened %v, want %s", opened, p.saveTo)
	}
}

// events reads a calendar back with golang-ical and returns its events by UID.
func events(t *testing.T, path string) map[string]*ics.VEvent {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cal, err := ics.ParseCalendar(f)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*ics.VEvent{}
	for _, e := range cal.Events() {
		if _, dup := out[e.Id()]; dup {
			t.Errorf("UID %s twice", e.Id())
		}
		out[e.Id()] = e
	}
	return out
}

func prop(e *ics.VEvent, p ics.ComponentProperty) string {
	if v := e.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

func TestCalendarReadsBackAndMovesAnEventRatherThanAddingOne(t *testing.T) {
	a, srv, _, _ := loggedInApp(t)
	org, _ := a.Portal.Organisation()
	dir := t.TempDir()
	before := filepath.Join(dir, "before.ics")
	if _, err := exports.WriteCalendar(context.Background(), a.Export, before, "fr"); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(before)
	for i, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line %d is %d octets long: %q", i, len(line), line)
		}
	}
	got := events(t, before)
	uid := func(what string) string { return what + "." + org.ID + "@ecert-desktop" }
	ca := got[uid("ca-"+returnedNC)]
	if ca == nil {
		t.Fatalf("no CA deadline for %s among %d events", returnedNC, len(got))
	}
	if v := prop(ca, ics.ComponentPropertyDtStart); v != "20190608" {
		t.Errorf("DTSTART: got %q, want the all-day 20190608", v)
	}
	if p := ca.GetProperty(ics.ComponentPropertyDtStart); p.ICalParameters["VALUE"][0] != "DATE" {
		t.Errorf("DTSTART is not an all-day date: %v", p.ICalParameters)
	}
	if s := prop(ca, ics.ComponentPropertySummary); !strings.Contains(s, "MC due") || !strings.Contains(s, returnedNC) {
		t.Errorf("summary: %q", s)
	}
	if d := prop(ca, ics.ComponentPropertyDescription); !strings.Contains(d, "2.2.0.03") {
		t.Errorf("description: %q", d)
	}
	for _, want := range []string{"next-audit", "certificate-"} {
		found := false
		for id := range got {
			found = found || strings.HasPrefix(id, want)
		}
		if !found {
			t.Errorf("no %s event", want)
		}
	}
	// Evidence requested: its own deadline (the evidence step's), never the CA's. Closed NCs: none.
	if ev := got[uid("evidence-NC-150424-2019")]; ev == nil || prop(ev, ics.ComponentPropertyDtStart) != "20190622" {
		t.Errorf("evidence deadline event: %v", ev)
	}
	if got[uid("ca-NC-131877-2018")] != nil {
		t.Error("an event for a closed NC")
	}

	// The analyst returns the CA with a new due date: the same event moves.
	if _, err := a.CA.SetReady(returnedNC, "Séances d'information.", true); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CA.Send(); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	if err := srv.ReturnCA(context.Background(), "analyst", coop, returnedNC, comment, "2019-07-01"); err != nil {
		t.Fatal(err)
	}
	syncNow(t, a)
	after := filepath.Join(dir, "after.ics")
	if _, err := exports.WriteCalendar(context.Background(), a.Export, after, "en"); err != nil {
		t.Fatal(err)
	}
	moved := events(t, after)[uid("ca-"+returnedNC)]
	if moved == nil {
		t.Fatal("the CA deadline's UID changed")
	}
	if v := prop(moved, ics.ComponentPropertyDtStart); v != "20190701" {
		t.Errorf("moved DTSTART: got %q, want 20190701", v)
	}
	seq0, _ := strconv.Atoi(prop(ca, ics.ComponentPropertySequence))
	seq1, _ := strconv.Atoi(prop(moved, ics.ComponentPropertySequence))
	if seq1 <= seq0 {
		t.Errorf("SEQUENCE did not grow: %d then %d", seq0, seq1)
	}
}

// The headless commands, as a user runs them: ecert-desktop export register / ics.
func TestHeadlessExportCommands(t *testing.T) {
	url, stopServer := startServer(t)
	data := syncedAsCoop(t, url)
	// Offline: the exports read the replica only.
	stopServer()
	out := t.TempDir()
	xlsx := filepath.Join(out, "registre.xlsx")
	if r := run(t, data, "", nil, "export", "register", "--format", "xlsx", "--out", xlsx, "--filter", "ca", "--lang", "fr"); r.code != 0 ||
		!strings.Contains(r.stdout, "Wrote 3 non-conformities") {
		t.Fatalf("export register xlsx: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Registre")
	f.Close()
	if len(rows) != 4+3 || rows[4][3] == "" {
		t.Errorf("xlsx rows: %v", rows)
	}
	pdf := filepath.Join(out, "register.pdf")
	if r := run(t, data, "", nil, "export", "register", "--format", "pdf", "--out", pdf, "--lang", "es"); r.code != 0 {
		t.Fatalf("export register pdf: code %d\n%s", r.code, r.stderr)
	}
	if text := pdfText(t, pdf); !strings.Contains(text, "Registro de no conformidades") || !strings.Contains(text, "NC-131877-2018") {
		t.Errorf("pdf:\n%s", text)
	}
	cal := filepath.Join(out, "deadlines.ics")
	if r := run(t, data, "", nil, "export", "ics", "--out", cal); r.code != 0 || !strings.Contains(r.stdout, "deadlines to") {
		t.Fatalf("export ics: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if got := events(t, cal); len(got) < 4 {
		t.Errorf("%d events", len(got))
	}
	// Usage errors: exit code 2, nothing written.
	for _, args := range [][]string{
		{"export"},
		{"export", "register", "--out", filepath.Join(out, "x.docx"), "--format", "docx"},
		{"export", "register", "--format", "pdf"},
		{"export", "ics", "--out", filepath.Join(out, "y.ics"), "--lang", "de"},
	} {
		if r := run(t, data, "", nil, args...); r.code != 2 {
			t.Errorf("%v: code %d, want 2\n%s", args, r.code, r.stderr)
		}
	}
	if r := run(t, data, "", nil, "export", "register", "--format", "pdf", "--out", filepath.Join(out, "no", "r.pdf")); r.code != 1 ||
		!strings.Contains(r.stderr, "could not be written") {
		t.Errorf("unwritable: code %d, stderr %q", r.code, r.stderr)
	}
	if left, _ := os.ReadDir(out); len(left) != 3 {
		t.Errorf("files in the output folder: %v", left)
	}
}
