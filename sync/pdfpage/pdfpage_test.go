package pdfpage_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/pdfpage"
)

// readBack writes a PDF and returns what pdftotext reads in it, one line per line.
func readBack(t *testing.T, pdf []byte) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext is missing: run build/scripts/setup.sh (poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "page.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil || strings.Contains(string(out), "Syntax Error") {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		// pdftotext marks right-to-left text with invisible direction marks (U+202A–U+202E).
		l = strings.Map(func(r rune) rune {
			if r >= 0x202a && r <= 0x202e {
				return -1
			}
			return r
		}, l)
		if l = strings.TrimSpace(strings.Trim(l, "\f")); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// The names are those the directory's generator makes (sync/server/directory), one per
// script it writes in; each must read back as it was written.
func TestNamesInEveryScript(t *testing.T) {
	names := []string{
		// Latin with accents: the standard fonts.
		"Coopérative des Planteurs du Mont Vert",
		// The embedded font.
		"Θεσσαλονίκη Εμπορική Α.Ε.",
		"Торговый дом Северный ветер",
		"جمعية النخيل التعاونية",
		"شركة الأمل للتجارة",
		"Hợp tác xã Đắk Lắk",
		// The fallback fonts (build/scripts/setup.sh installs them).
		"普洱茶叶专业合作社",
		"東京フェアトレード株式会社",
		"아름다운 공정무역",
		"สหกรณ์เชียงราย",
		"दार्जिलिंग किसान सहकारी समिति",
		"ሲዳማ የቡና አምራቾች ማህበር",
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			// A page like a proof: mostly French, the name alone and after a label.
			pdf := pdfpage.Render("Statut "+name, []pdfpage.Line{
				{Text: "Statut de certification Fairtrade", Size: 20, Bold: true},
				{Text: name, Size: 15, Bold: true},
				{Text: "Opérateur : " + name},
				{Text: "Document établi le 05/12/2026 à 14:02 par Ecert Desktop pour la Coopérative des Planteurs du Mont Vert."},
			})
			got := readBack(t, pdf)
			want := []string{"Statut de certification Fairtrade", name, "Opérateur : " + name,
				"Document établi le 05/12/2026 à 14:02 par Ecert Desktop pour la Coopérative des Planteurs du Mont Vert."}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("read back %q, want %q", got, want)
			}
			if strings.Contains(string(pdf), "/FontFile2") == pdfpage.WinAnsiOnly(name) {
				t.Errorf("embedded font: %v for %q", !pdfpage.WinAnsiOnly(name), name)
			}
		})
	}
}

// Text in WinAnsi keeps the standard fonts: nothing embedded, the page stays small.
func TestLatinEmbedsNothing(t *testing.T) {
	pdf := pdfpage.Render("Certificat", []pdfpage.Line{{Text: "Coopérative Œuvre – 2026 €"}})
	if strings.Contains(string(pdf), "FontFile2") || len(pdf) > 2000 {
		t.Errorf("a Latin page embeds a font (%d bytes)", len(pdf))
	}
	if got := readBack(t, pdf); len(got) != 1 || got[0] != "Coopérative Œuvre – 2026 €" {
		t.Errorf("read back %q", got)
	}
}

// A character that no font has prints as '?' and the page still opens.
func TestUnknownCharacter(t *testing.T) {
	got := readBack(t, pdfpage.Render("x", []pdfpage.Line{{Text: "Αθηνά \U0001F600 \U000E0001"}}))
	if len(got) != 1 || !strings.HasPrefix(got[0], "Αθηνά") {
		t.Errorf("read back %q", got)
	}
}
