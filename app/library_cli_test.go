package app_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/library"
)

// TestFilesAndLinkCommands: the files library headless, against a real server: list and
// search, link a file to another NC with no upload, exactly once.
func TestFilesAndLinkCommands(t *testing.T) {
	url, stop := startServer(t)
	defer stop()
	data := syncedAsCoop(t, url)
	r := run(t, data, "", nil, "files", "list", "--json", "--search", "Bulletïns PAIE")
	var files []library.File
	if err := json.Unmarshal([]byte(r.stdout), &files); err != nil || r.code != 0 || len(files) != 1 {
		t.Fatalf("files list --json --search: %v %+v", err, r)
	}
	payslips := files[0]
	if payslips.Name != "Bulletins de paie Baham.pdf" || !slices.Equal(payslips.NCs, []string{"NC-168802-2018"}) {
		t.Fatalf("found %+v", payslips)
	}
	if r := run(t, data, "", nil, "files", "list"); r.code != 0 || !strings.Contains(r.stdout, "Contrat de certification.pdf") ||
		!strings.Contains(r.stdout, "USED BY") || !strings.Contains(r.stdout, payslips.SHA256) {
		t.Errorf("files list as text: %+v", r)
	}

	r = run(t, data, "", nil, "evidence", "link", ncEvidence, payslips.SHA256, "--subject", "Bulletins signés")
	if r.code != 0 || !strings.Contains(r.stdout, "with no upload") {
		t.Fatalf("evidence link: %+v", r)
	}
	if r := run(t, data, "", nil, "evidence", "link", ncEvidence, payslips.SHA256); r.code != 0 || !strings.Contains(r.stdout, "already") {
		t.Errorf("the same link again: %+v", r)
	}
	if r := run(t, data, "", nil, "sync"); r.code != 0 {
		t.Fatalf("sync: %+v", r)
	}
	r = run(t, data, "", nil, "evidence", "list", ncEvidence)
	if r.code != 0 || strings.Count(r.stdout, payslips.SHA256) != 1 || !strings.Contains(r.stdout, "Bulletins signés") {
		t.Errorf("evidence list after the link: %+v", r)
	}
	r = run(t, data, "", nil, "files", "list", "--json", "--search", "bulletins")
	if err := json.Unmarshal([]byte(r.stdout), &files); err != nil || len(files) != 1 ||
		!slices.Equal(files[0].NCs, []string{ncEvidence, "NC-168802-2018"}) {
		t.Errorf("used by, after the link: %v %+v", err, files)
	}

	// Refusals say why and change nothing.
	if r := run(t, data, "", nil, "evidence", "link", ncEvidence, strings.Repeat("0", 64)); r.code != 1 || !strings.Contains(r.stderr, "no such file") {
		t.Errorf("link of an unknown hash: %+v", r)
	}
	if r := run(t, data, "", nil, "evidence", "link", "NC-167140-2019", payslips.SHA256); r.code != 1 || !strings.Contains(r.stderr, "takes no evidence now") {
		t.Errorf("link to an NC at the CA step: %+v", r)
	}
	if r := run(t, data, "", nil, "evidence", "link", ncEvidence); r.code != 2 {
		t.Errorf("link with no hash: %+v", r)
	}
	if r := run(t, data, "", nil, "files"); r.code != 2 {
		t.Errorf("files without a sub-command: %+v", r)
	}
}
