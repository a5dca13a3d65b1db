package exports

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/xuri/excelize/v2"
)

// The workbook our own writer makes reads back in excelize (another program's reader)
// with every part the register had when excelize wrote it: the title's and headers'
// styles, dates as dates, column widths, the frozen header, the table with its filters,
// the document's properties; and awkward text (markup, control characters, invalid
// UTF-8, over a cell's limit) neither breaks the file nor changes beyond what XML allows.
func TestXLSXWriterMakesAWorkbookOthersRead(t *testing.T) {
	awkward := "a < b & \"c\" > d\x01\x0bé\xff\r\nligne 2\t✓ 😀 _x0041_ _x00_"
	long := strings.Repeat("x", maxCellChars+10)
	reg := Register{Organisation: "Coop <Las & Flores>", OrgID: "3542", Lang: "fr", Filter: "all",
		Date: time.Date(2019, 5, 20, 0, 0, 0, 0, time.UTC), Rows: []Row{
			{NC: api.NC{ID: "NC-1", AuditID: "AO-1", CriterionNumber: "2.2.0.03", Finding: awkward, Score: 3,
				ReceivedDate: "2019-03-01", DueDate: "2019-06-30", Stage: api.StageCARequested},
				Audit: api.Audit{Date: "2019-02-14", ServiceType: "Producteur"}},
			{NC: api.NC{ID: "NC-2", AuditID: "AO-1", Finding: long, ReceivedDate: "not a date"}},
		}}
	var buf bytes.Buffer
	if err := WriteXLSX(context.Background(), &buf, reg, nil); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "register.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l := words("fr")
	if got := f.GetSheetList(); len(got) != 1 || got[0] != l.Sheet {
		t.Fatalf("sheets %v, want [%s]", got, l.Sheet)
	}
	rows, err := f.GetRows(l.Sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 || rows[0][0] != l.Title || rows[1][0] != "Coop <Las & Flores> (FLO ID 3542)" || rows[3][0] != l.Audit {
		t.Fatalf("rows: %q", rows[:min(len(rows), 4)])
	}
	cols := l.columns()
	at := func(row int, title string) string {
		for i, c := range cols {
			if c.title == title {
				if i < len(rows[row]) {
					return rows[row][i]
				}
				return ""
			}
		}
		t.Fatalf("no column %q", title)
		return ""
	}
	if got, want := at(4, l.Finding), "a < b & \"c\" > dé\r\nligne 2\t✓ 😀 _x0041_ _x00_"; got != want {
		t.Errorf("awkward text: got %q, want %q", got, want)
	}
	if got := at(5, l.Finding); len(got) != maxCellChars {
		t.Errorf("long text: %d characters, want %d", len(got), maxCellChars)
	}
	if got := at(5, l.Received); got != "" {
		t.Errorf("a bad date gave %q, want an empty cell", got)
	}
	if got := at(4, l.Score); got != "3" {
		t.Errorf("score %q", got)
	}

	// Dates are numbers (days since 1899-12-30) in the built-in short date format.
	for _, c := range []struct {
		title string
		want  time.Time
	}{{l.AuditDate, time.Date(2019, 2, 14, 0, 0, 0, 0, time.UTC)}, {l.Received, time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC)}} {
		ref := cellRef(t, cols, c.title, 5)
		raw, _ := f.GetCellValue(l.Sheet, ref, excelize.Options{RawCellValue: true})
		if raw != map[string]string{l.AuditDate: "43510", l.Received: "43525"}[c.title] {
			t.Errorf("%s: raw %q", c.title, raw)
		}
		if got, _ := f.GetCellValue(l.Sheet, ref); got != c.want.Format("01-02-06") {
			t.Errorf("%s: shown %q, want %s", c.title, got, c.want.Format("01-02-06"))
		}
		style := cellStyle(t, f, l.Sheet, ref)
		if style.NumFmt != 14 || style.Alignment == nil || style.Alignment.Vertical != "top" {
			t.Errorf("%s: style %+v", c.title, style)
		}
	}
	if s := cellStyle(t, f, l.Sheet, "A1"); s.Font == nil || !s.Font.Bold || s.Font.Size != 14 {
		t.Errorf("title style %+v", s.Font)
	}
	if s := cellStyle(t, f, l.Sheet, "A4"); s.Font == nil || !s.Font.Bold || s.Alignment == nil ||
		!s.Alignment.WrapText || s.Alignment.Vertical != "top" {
		t.Errorf("header style %+v %+v", s.Font, s.Alignment)
	}
	if s := cellStyle(t, f, l.Sheet, cellRef(t, cols, l.Finding, 5)); s.Alignment == nil || !s.Alignment.WrapText ||
		s.Alignment.Vertical != "top" || (s.Font != nil && s.Font.Bold) {
		t.Errorf("text style %+v", s.Alignment)
	}
	for i, c := range cols {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if w, err := f.GetColWidth(l.Sheet, name); err != nil || w != c.width {
			t.Errorf("column %s: width %v, want %v (%v)", name, w, c.width, err)
		}
	}
	panes, err := f.GetPanes(l.Sheet)
	if err != nil || !panes.Freeze || panes.YSplit != headerRow || panes.TopLeftCell != "A5" {
		t.Errorf("panes %+v (%v)", panes, err)
	}
	last, _ := excelize.ColumnNumberToName(len(cols))
	tables, err := f.GetTables(l.Sheet)
	if err != nil || len(tables) != 1 || tables[0].Name != "Register" || tables[0].Range != "A4:"+last+"6" ||
		tables[0].StyleName != "TableStyleLight9" {
		t.Errorf("tables %+v (%v)", tables, err)
	}
	props, err := f.GetDocProps()
	if err != nil || props.Title != l.Title+" — Coop <Las & Flores>" || props.Creator != "Ecert Desktop" || props.Language != "fr" {
		t.Errorf("properties %+v (%v)", props, err)
	}
	opensInLibreOffice(t, path, "NC-2")

	// No rows: no table (Excel refuses one without data rows), still a valid file.
	buf.Reset()
	reg.Rows = nil
	if err := WriteXLSX(context.Background(), &buf, reg, nil); err != nil {
		t.Fatal(err)
	}
	empty, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	if rows, _ := empty.GetRows(l.Sheet); len(rows) != 4 {
		t.Errorf("empty register: %q", rows)
	}
	if tables, _ := empty.GetTables(l.Sheet); len(tables) != 0 {
		t.Errorf("empty register has tables %+v", tables)
	}
}

// The production binary does not link excelize: its package initialisation cost every
// command milliseconds (sync/BENCHMARKS.md); it is a test dependency only.
func TestTheBinaryDoesNotLinkExcelize(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "../..").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "github.com/ecert-desktop/ecert-desktop/app/exports\n") {
		t.Fatalf("go list did not list the root package's dependencies:\n%s", out)
	}
	if strings.Contains(string(out), "github.com/xuri/excelize") {
		t.Error("the root package links github.com/xuri/excelize")
	}
}

// opensInLibreOffice converts the workbook to CSV with LibreOffice, when it is
// installed, and checks that the text is there.
func opensInLibreOffice(t *testing.T, path, want string) {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Log("LibreOffice (soffice) is not installed: not checked with it")
		return
	}
	dir := t.TempDir()
	out, err := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+dir+"/profile",
		"--convert-to", "csv", "--outdir", dir, path).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	csv, err := os.ReadFile(filepath.Join(dir, strings.TrimSuffix(filepath.Base(path), ".xlsx")+".csv"))
	if err != nil || !strings.Contains(string(csv), want) {
		t.Errorf("LibreOffice's CSV lacks %q (%v):\n%s\n%s", want, err, csv, out)
	}
}

func cellRef(t *testing.T, cols []column, title string, row int) string {
	t.Helper()
	for i, c := range cols {
		if c.title == title {
			ref, _ := excelize.CoordinatesToCellName(i+1, row)
			return ref
		}
	}
	t.Fatalf("no column %q", title)
	return ""
}

func cellStyle(t *testing.T, f *excelize.File, sheet, ref string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
