package app_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/ecert-desktop/ecert-desktop/app/partners"
	"github.com/ecert-desktop/ecert-desktop/sync/server/directory"
)

// TestPartnerCommands: the partner commands as a user runs them, against a real server
// with the demo's 30,000 operators; the search works after the server stopped.
func TestPartnerCommands(t *testing.T) {
	url, stop := startServer(t)
	data := syncedAsCoop(t, url)
	r := run(t, data, "", nil, "partner", "search", "cafetalera", "--country", "PE", "--product", "coffee", "--json")
	var res partners.PartnerResults
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || r.code != 0 {
		t.Fatalf("search --json: %v %+v", err, r)
	}
	if len(res.Partners) == 0 || res.Freshness.Operators != 30002 {
		t.Fatalf("search: %d partners, %d operators in the copy", len(res.Partners), res.Freshness.Operators)
	}
	for _, p := range res.Partners {
		if p.Country != "PE" || !strings.Contains(strings.ToLower(p.Name), "cafetalera") {
			t.Errorf("found %+v", p)
		}
	}
	if r := run(t, data, "", nil, "partner", "search", "Coopérative", "Planteurs", "MONT", "vert"); r.code != 0 ||
		!strings.Contains(r.stdout, "3542") || !strings.Contains(r.stdout, "Directory of 30002 operators as of") {
		t.Errorf("search as text: %+v", r)
	}
	if r := run(t, data, "", nil, "partner", "status", "3542"); r.code != 0 || !strings.Contains(r.stdout, "Checked with FLOCERT at") ||
		!strings.Contains(r.stdout, "certified") {
		t.Errorf("status online: %+v", r)
	}
	proof := filepath.Join(t.TempDir(), "proof.pdf")
	if r := run(t, data, "", []string{"LC_ALL=fr_FR.UTF-8"}, "partner", "status", "3542", "--proof", proof); r.code != 0 || !strings.Contains(r.stdout, "Proof written") {
		t.Errorf("status --proof: %+v", r)
	}
	pdf, err := os.ReadFile(proof)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-1.4")) || !bytes.Contains(pdf, []byte("FLO ID : 3542")) ||
		!bytes.Contains(pdf, []byte(`CERTIFI\311`)) || !bytes.Contains(pdf, []byte(`v\351rifi\351 aupr\350s de FLOCERT le`)) {
		t.Errorf("the proof, in French, dated and checked: %v\n%s", err, pdf)
	}
	if r := run(t, data, "", nil, "partner", "status", "000"); r.code != 1 || !strings.Contains(r.stderr, "no operator") {
		t.Errorf("status of an unknown FLO ID: %+v", r)
	}
	if r := run(t, data, "", nil, "partner"); r.code != 2 {
		t.Errorf("partner without a sub-command: %+v", r)
	}

	proofsInEveryScript(t, data)

	stop()
	if r := run(t, data, "", nil, "partner", "search", `"planteurs" mont* (vert) -`); r.code != 0 || !strings.Contains(r.stdout, "3542") {
		t.Errorf("search offline with query syntax: %+v", r)
	}
	if r := run(t, data, "", nil, "partner", "status", "3542", "--json"); r.code != 0 || !strings.Contains(r.stdout, `"not_checked": "unreachable"`) {
		t.Errorf("status offline: %+v", r)
	}
}

// proofsInEveryScript writes the proof of an operator of the demo directory whose name
// is in Greek, Cyrillic, Arabic, Chinese or Japanese, Korean, Thai, Devanagari and
// Ethiopic, and reads each back with pdftotext: the name prints as it is written.
func proofsInEveryScript(t *testing.T, data string) {
	t.Helper()
	scripts := []*unicode.RangeTable{unicode.Greek, unicode.Cyrillic, unicode.Arabic, unicode.Han,
		unicode.Hangul, unicode.Thai, unicode.Devanagari, unicode.Ethiopic}
	found := map[*unicode.RangeTable]bool{}
	for _, op := range directory.Generate(directory.DemoSeed, directory.DemoSize, time.Now()) {
		for _, script := range scripts {
			if found[script] || !strings.ContainsFunc(op.Name, func(r rune) bool { return unicode.Is(script, r) }) {
				continue
			}
			found[script] = true
			proof := filepath.Join(t.TempDir(), "proof.pdf")
			if r := run(t, data, "", []string{"LC_ALL=fr_FR.UTF-8"}, "partner", "status", op.FLOID, "--proof", proof); r.code != 0 {
				t.Fatalf("status --proof of %s: %+v", op.FLOID, r)
			}
			out, err := exec.Command("pdftotext", "-enc", "UTF-8", proof, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext (poppler-utils, build/scripts/setup.sh): %v", err)
			}
			// pdftotext marks right-to-left text with invisible direction marks.
			text := strings.Map(func(r rune) rune {
				if r >= 0x202a && r <= 0x202e {
					return -1
				}
				return r
			}, string(out))
			if !slices.Contains(strings.Split(text, "\n"), op.Name) || strings.Contains(text, "?") {
				t.Errorf("the proof of %s reads back\n%s\nwant the line %q", op.FLOID, text, op.Name)
			}
		}
	}
	if len(found) != len(scripts) {
		t.Errorf("the demo directory has names in %d of the %d scripts", len(found), len(scripts))
	}
}
