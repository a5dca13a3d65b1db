package app_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/exports"
)

// TestRegisterPrintsTheStepsDueDate: at the evidence step the register prints the
// evidence deadline the analyst set, never the accepted CA's (issue 13). Read back from
// the workbook (excelize) and the PDF (pdftotext).
func TestRegisterPrintsTheStepsDueDate(t *testing.T) {
	a, _, _, _ := loggedInApp(t)
	d, err := a.Portal.NC("NC-150424-2019")
	if err != nil {
		t.Fatal(err)
	}
	nc := d.Row.NC
	if nc.EvidenceDueDate == "" || nc.EvidenceDueDate == nc.DueDate {
		t.Fatalf("the demo NC awaiting evidence needs two deadlines: CA %s, evidence %s", nc.DueDate, nc.EvidenceDueDate)
	}
	dmy := func(iso string) string {
		day, err := time.Parse(time.DateOnly, iso)
		if err != nil {
			t.Fatal(err)
		}
		return day.Format("02/01/2006")
	}
	want, stale := dmy(string(nc.EvidenceDueDate)), dmy(string(nc.DueDate))

	path := filepath.Join(t.TempDir(), "register.xlsx")
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
	col := map[string]int{}
	for i, h := range rows[3] {
		col[h] = i
	}
	found := false
	for _, r := range rows[4:] {
		if r[col["N° NC"]] != nc.ID {
			continue
		}
		found = true
		// excelize reads a date cell back in its own default format (mm-dd-yy).
		evidence, _ := time.Parse(time.DateOnly, string(nc.EvidenceDueDate))
		if got := r[col["Dû le"]]; got != want && got != evidence.Format("01-02-06") {
			t.Errorf("xlsx: due %q, want the evidence deadline %s (the CA's was %s)", got, want, stale)
		}
	}
	if !found {
		t.Fatalf("no row of %s in the workbook", nc.ID)
	}

	pdf := filepath.Join(t.TempDir(), "register.pdf")
	if _, err := exports.WriteRegister(context.Background(), a.Export, pdf, "pdf", app.FilterAll, "fr", nil); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	i := strings.Index(text, nc.ID)
	if i < 0 {
		t.Fatalf("no %s in the PDF", nc.ID)
	}
	block := text[i:min(len(text), i+600)]
	if !strings.Contains(block, want) || strings.Contains(block, stale) {
		t.Errorf("pdf: the facts of %s should give the evidence deadline %s, not the CA's %s:\n%s", nc.ID, want, stale, block)
	}
}
