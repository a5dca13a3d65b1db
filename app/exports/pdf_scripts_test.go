package exports_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/exports"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/pdfpage"
)

// Text outside WinAnsi — Greek, Cyrillic, Central European accents, and CJK when a
// fallback font is on the computer — is drawn in embedded fonts, reads back exactly
// with pdftotext, and wraps inside the page's margins.
func TestPDFRegisterPrintsEveryScript(t *testing.T) {
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s (poppler-utils) is needed: build/scripts/setup.sh installs it", tool)
		}
	}
	const (
		greek    = "Συνεταιρισμός ελαιοπαραγωγών Κρήτης"
		cyrillic = "Кооператив «Чайные плантации» — журнал обучения не подписан"
		latin    = "Spółdzielnia Łódź: Șantierul Ťažký Ő"
		cjk      = "茶叶合作社培训记录"
		person   = "Ολυμπία Παπαδοπούλου"
	)
	cjkFont := false
	for _, p := range pdfpage.FallbackFonts {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil && strings.Contains(p, "DroidSansFallback") {
			cjkFont = true
		}
	}
	long := strings.Repeat("Журнал обучения сборщиков урожая ведётся нерегулярно, подписи отсутствуют. ", 12)
	reg := exports.Register{Organisation: greek, OrgID: "9999", Lang: "en", Filter: "all",
		Date: time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)}
	finding := cyrillic + " " + latin
	if cjkFont {
		finding += " " + cjk
	}
	reg.Rows = []exports.Row{
		{NC: api.NC{ID: "NC-000001-2026", AuditID: "AO-1", CriterionNumber: "1.2.3", CriterionText: latin, CriterionType: "core",
			Finding: finding, ReceivedDate: "2026-01-02", DueDate: "2026-03-04", Stage: api.StageCARequested, CAStatus: api.StatusRequested},
			Draft: long, DraftBy: person,
			Assignment: &api.Assignment{NCID: "NC-000001-2026", Assignee: "olympia", AssigneeName: person}},
	}
	path := filepath.Join(t.TempDir(), "register.pdf")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := exports.WritePDF(context.Background(), f, reg, nil); err != nil {
		t.Fatal(err)
	}
	f.Close()

	if out, err := exec.Command("pdfinfo", path).CombinedOutput(); err != nil || strings.Contains(string(out), "Error") {
		t.Fatalf("pdfinfo: %v %s", err, out)
	} else if !strings.Contains(string(out), "Title:") || !strings.Contains(string(out), greek) {
		t.Errorf("the document's title is not the organisation's name in Greek:\n%s", out)
	}
	raw, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(raw)), " ")
	wants := []string{greek, cyrillic, latin, "Responsible person: " + person, "CA written by: " + person,
		strings.TrimSpace(strings.Join(strings.Fields(long), " ")[:200])}
	if cjkFont {
		wants = append(wants, cjk)
	} else {
		t.Log("no CJK fallback font on this computer: the CJK line is not checked")
	}
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF does not say %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "?") {
		t.Errorf("a character printed as '?':\n%s", text)
	}

	// Every word lies inside the page's margins: the embedded fonts' widths wrap the lines.
	bbox, err := exec.Command("pdftotext", "-bbox", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	words := 0
	for _, line := range strings.Split(string(bbox), "\n") {
		i := strings.Index(line, `xMax="`)
		if !strings.Contains(line, "<word") || i < 0 {
			continue
		}
		words++
		v := line[i+6:]
		x, err := strconv.ParseFloat(v[:strings.IndexByte(v, '"')], 64)
		if err != nil {
			t.Fatal(err)
		}
		if x > 595-50+1 {
			t.Errorf("a word ends at x = %.1f, past the right margin (545): %s", x, line)
		}
	}
	if words < 50 {
		t.Fatalf("pdftotext -bbox found %d words", words)
	}
}
