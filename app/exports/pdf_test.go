package exports_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/exports"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// manyRows is a register of n NCs; the one at index long has a finding longer than a
// page, which must flow over to the next pages.
func manyRows(n, long int) exports.Register {
	reg := exports.Register{Organisation: "Coopérative « Œuvre » (test)", OrgID: "9999", Lang: "fr", Filter: "all",
		Date: time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)}
	for i := range n {
		finding := fmt.Sprintf("Constat numéro %d : registre incomplet, pièces (justificatives) manquantes.", i)
		if i == long {
			finding = strings.Repeat("Une phrase très longue du constat qui remplit la page. ", 900)
		}
		reg.Rows = append(reg.Rows, exports.Row{NC: api.NC{ID: fmt.Sprintf("NC-%06d-2026", i), AuditID: "AO-1",
			CriterionNumber: "1.2.3", CriterionText: "Texte du critère", CriterionType: "core", Finding: finding,
			ReceivedDate: "2026-01-02", DueDate: "2026-03-04", Stage: api.StageCARequested, CAStatus: api.StatusRequested}})
	}
	return reg
}

func TestPDFOfManyPagesIsWellFormedAndNumbered(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext (poppler-utils) is needed: build/scripts/setup.sh installs it")
	}
	reg := manyRows(300, 150)
	path := filepath.Join(t.TempDir(), "r.pdf")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	var calls, last int
	if err := exports.WritePDF(context.Background(), f, reg, func(done, total int) { calls, last = calls+1, done }); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if last != 300 || calls != 3 {
		t.Errorf("progress: %d calls, last %d; want 3 calls ending at 300", calls, last)
	}
	// pdfinfo reads the cross-reference table strictly: any error in it is on stderr.
	var stderr bytes.Buffer
	info := exec.Command("pdfinfo", path)
	info.Stderr = &stderr
	out, err := info.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("pdfinfo: %v %s", err, stderr.String())
	}
	pages := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(string(out))
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	numbers := regexp.MustCompile(`Page (\d+) / (\d+)`).FindAllStringSubmatch(string(text), -1)
	if pages == nil || len(numbers) == 0 || pages[1] != numbers[0][2] || fmt.Sprint(len(numbers)) != pages[1] {
		t.Fatalf("pdfinfo says %v pages; the pages say %d numbers, first %v", pages, len(numbers), numbers[:1])
	}
	for i, m := range numbers {
		if m[1] != fmt.Sprint(i+1) {
			t.Errorf("page %d is numbered %s", i+1, m[1])
		}
	}
	for _, r := range reg.Rows {
		if !bytes.Contains(text, []byte(r.NC.ID)) {
			t.Errorf("%s is missing", r.NC.ID)
		}
	}
	for _, want := range []string{"Coopérative « Œuvre » (test)", "(justificatives)", "Fondamental"} {
		if !bytes.Contains(text, []byte(want)) {
			t.Errorf("the PDF does not say %q", want)
		}
	}
}

func TestExportsStopWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	reg := manyRows(500, -1)
	for name, write := range map[string]func(context.Context, *bytes.Buffer) error{
		"xlsx": func(ctx context.Context, b *bytes.Buffer) error { return exports.WriteXLSX(ctx, b, reg, nil) },
		"pdf":  func(ctx context.Context, b *bytes.Buffer) error { return exports.WritePDF(ctx, b, reg, nil) },
	} {
		var b bytes.Buffer
		if err := write(ctx, &b); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: got %v, want context.Canceled", name, err)
		}
	}
}
