package server_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// The demo cooperative's files that are not evidence of ncEvidence: the payslips sent
// with NC-168802-2018, and its certification contract (a document).
const (
	payslipsEvidence = "PM-3542-0003"
	contractDocument = "DOC-3542-0001"
)

func (e *env) documentFile(token, id string) api.FileRef {
	e.t.Helper()
	for _, c := range e.allChanges(token, 2000) {
		if c.Entity == api.EntityDocument && c.ID == id {
			var d api.Document
			decode(e.t, c.Data, &d)
			return d.File
		}
	}
	e.t.Fatalf("no document %s", id)
	return api.FileRef{}
}

func link(seq int64, ncID, evidenceID, sha, name, subject string) api.PushEntry {
	return api.PushEntry{Seq: seq, Kind: api.KindEvidenceLink, NCID: ncID, EvidenceID: evidenceID, Text: subject,
		File: &api.FileRef{SHA256: sha, Name: name}}
}

func TestEvidenceLinkMovesOnlyAReference(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	payslips, ok := e.evidence(coop, payslipsEvidence)
	if !ok {
		t.Fatal("the demo has no payslips")
	}
	used := e.limits(coop).UsedBytes

	// The payslips sent for another NC, linked with no name: the organisation's name.
	res := e.push(coop, clientA, link(1, ncEvidence, "PM-L-1", payslips.File.SHA256, "", "Bulletins de paie signés"))
	wantResult(t, res[0], 1, api.PushApplied, "")
	ev := res[0].Evidence
	if ev == nil || ev.ID != "PM-L-1" || ev.NCID != ncEvidence || ev.File.SHA256 != payslips.File.SHA256 ||
		ev.File.Name != payslips.File.Name || ev.File.Size != payslips.File.Size || ev.Subject != "Bulletins de paie signés" || ev.Submitted {
		t.Fatalf("linked evidence: %+v", ev)
	}
	if got, ok := e.evidence(coop, "PM-L-1"); !ok || got.File != ev.File {
		t.Fatalf("pulled linked evidence: %v %+v", ok, got)
	}
	// The first use is untouched: still on its NC, still submitted.
	if got, _ := e.evidence(coop, payslipsEvidence); got.NCID != "NC-168802-2018" || !got.Submitted {
		t.Errorf("the original evidence changed: %+v", got)
	}
	// A document (the contract), linked under a name the user chose.
	contract := e.documentFile(coop, contractDocument)
	res = e.push(coop, clientA, link(2, ncEvidence, "PM-L-2", contract.SHA256, "Contrat signé.pdf", ""))
	wantResult(t, res[0], 2, api.PushApplied, "")
	if res[0].Evidence.File.Name != "Contrat signé.pdf" || res[0].Evidence.File.Size != contract.Size {
		t.Errorf("linked document: %+v", res[0].Evidence.File)
	}
	// The file is served to the organisation under its new use too, and no byte was
	// counted again against the quota.
	if r := e.do("GET", "/files/"+payslips.File.SHA256, coop, nil); r.status != http.StatusOK || int64(len(r.body)) != payslips.File.Size {
		t.Errorf("GET the linked file: %d, %d bytes", r.status, len(r.body))
	}
	if got := e.limits(coop).UsedBytes; got != used {
		t.Errorf("used bytes went from %d to %d with no upload", used, got)
	}

	// Exactly once: the same seq is a duplicate, the same id under a new seq is the
	// same link, the same id for another file is refused.
	wantResult(t, e.push(coop, clientA, link(1, ncEvidence, "PM-L-1", payslips.File.SHA256, "", ""))[0], 1, api.PushDuplicate, "")
	res = e.push(coop, clientA, link(3, ncEvidence, "PM-L-1", payslips.File.SHA256, "", "autre"))
	wantResult(t, res[0], 3, api.PushApplied, "")
	if res[0].Evidence.Subject != "Bulletins de paie signés" {
		t.Errorf("a re-push changed the link: %+v", res[0].Evidence)
	}
	wantResult(t, e.push(coop, clientA, link(4, ncEvidence, "PM-L-1", contract.SHA256, "", ""))[0], 4, api.PushRejected, api.CodeBadEntry)
	n := 0
	for _, c := range e.allChanges(coop, 2000) {
		if c.Entity == api.EntityEvidence && c.Op == api.OpUpsert && c.ID == "PM-L-1" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("PM-L-1 is %d times in the change log", n)
	}

	// An NC that takes no evidence now, and one of another organisation.
	wantResult(t, e.push(coop, clientA, link(5, "NC-167140-2019", "PM-L-5", contract.SHA256, "", ""))[0], 5, api.PushRejected, api.CodeNotAwaitingEvidence)
	wantResult(t, e.push(coop, clientA, link(6, "NC-171520-2019", "PM-L-6", contract.SHA256, "", ""))[0], 6, api.PushRejected, api.CodeNCNotFound)

	// Linked files are sent like uploaded ones.
	nc := e.nc(coop, ncEvidence)
	res = e.push(coop, clientA, api.PushEntry{Seq: 7, Kind: api.KindEvidenceSubmit, NCID: ncEvidence, BaseRevision: nc.Revision})
	wantResult(t, res[0], 7, api.PushApplied, "")
	files := res[0].NC.EvidenceHistory[len(res[0].NC.EvidenceHistory)-1].Files
	if len(files) != 4 || !slices.Contains(files, "PM-L-1") || !slices.Contains(files, "PM-L-2") {
		t.Errorf("submitted files: %v", files)
	}
}

// A hash the organisation does not have is refused file_unknown with the very same
// answer whether another organisation has the file or nobody does: linking never
// reveals another organisation's files, and never gives access to them.
func TestEvidenceLinkOfAnotherOrganisationsFile(t *testing.T) {
	e := newEnv(t)
	coop, estate := e.token("coop"), e.token("estate")
	theirs := e.upload(estate, []byte("%PDF-1.4 registre de l'estate"), "registre.pdf")
	var estateCert string
	for _, c := range e.allChanges(estate, 2000) {
		if c.Entity == api.EntityCertificate {
			var cert api.Certificate
			decode(t, c.Data, &cert)
			if cert.File != nil {
				estateCert = cert.File.SHA256
			}
		}
	}
	if estateCert == "" {
		t.Fatal("the estate has no certificate file")
	}
	nobody := sum256([]byte("a file nobody has"))
	var answers []string
	for i, sha := range []string{theirs, estateCert, nobody} {
		seq := int64(i + 1)
		res := e.push(coop, clientA, link(seq, ncEvidence, "PM-X-"+itoa(i), sha, "x.pdf", ""))
		wantResult(t, res[0], seq, api.PushRejected, api.CodeFileUnknown)
		b, _ := json.Marshal(api.PushResult{Status: res[0].Status, Code: res[0].Code, Message: res[0].Message})
		answers = append(answers, string(b))
	}
	if answers[0] != answers[2] || answers[1] != answers[2] {
		t.Errorf("the answers differ, so they tell whether another organisation has a file:\n%s", answers)
	}
	if _, ok := e.evidence(coop, "PM-X-0"); ok {
		t.Error("a refused link left evidence")
	}
	if r := e.do("GET", "/files/"+theirs, coop, nil); r.status != http.StatusNotFound {
		t.Errorf("GET another organisation's file after a refused link: %d", r.status)
	}
}
