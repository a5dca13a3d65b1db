package app_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/partners"
)

// TestPartnerCommands: the partner commands as a user runs them, against a real server
// with the demo's 30,000 operators; the search works after the server stopped.
func TestPartnerCommands(t *testing.T) {
	url, stop := startServer(t)
	data := t.TempDir()
	if r := run(t, data, "coop\n", nil, "login", "--server", url, "--user", "coop"); r.code != 0 {
		t.Fatalf("login: %+v", r)
	}
	if r := run(t, data, "", nil, "sync"); r.code != 0 {
		t.Fatalf("sync: %+v", r)
	}
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

	stop()
	if r := run(t, data, "", nil, "partner", "search", `"planteurs" mont* (vert) -`); r.code != 0 || !strings.Contains(r.stdout, "3542") {
		t.Errorf("search offline with query syntax: %+v", r)
	}
	if r := run(t, data, "", nil, "partner", "status", "3542", "--json"); r.code != 0 || !strings.Contains(r.stdout, `"not_checked": "unreachable"`) {
		t.Errorf("status offline: %+v", r)
	}
}
