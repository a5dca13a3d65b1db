package server_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
	"github.com/ecert-desktop/ecert-desktop/sync/server/workflow"
)

const ncEvidence = "NC-150424-2019" // coop, evidence requested, 2 demo files not sent yet

func fileRef(data []byte, name string) *api.FileRef {
	return &api.FileRef{SHA256: sum256(data), Name: name, Size: int64(len(data)), MediaType: "application/pdf"}
}

func (e *env) evidence(token, id string) (api.Evidence, bool) {
	e.t.Helper()
	var ev api.Evidence
	found := false
	for _, c := range e.allChanges(token, 2000) {
		if c.Entity == api.EntityEvidence && c.ID == id {
			found = c.Op == api.OpUpsert
			if found {
				decode(e.t, c.Data, &ev)
			}
		}
	}
	return ev, found
}

func TestEvidenceAttachments(t *testing.T) {
	e := newEnv(t)
	coop, estate := e.token("coop"), e.token("estate")
	doc := []byte("%PDF-1.4 accord de multi-propriété signé")
	add := func(seq int64, id string, f *api.FileRef, subject string) api.PushEntry {
		return api.PushEntry{Seq: seq, Kind: api.KindEvidenceAdd, NCID: ncEvidence, EvidenceID: id, File: f, Text: subject}
	}

	// Before the upload: blob_missing, a final answer for that seq.
	res := e.push(coop, clientA, add(1, "PM-A-1", fileRef(doc, "Accord signé.pdf"), "Accord"))
	wantResult(t, res[0], 1, api.PushRejected, api.CodeBlobMissing)
	// Another organisation's upload does not count.
	e.upload(estate, doc, "x.pdf")
	wantResult(t, e.push(coop, clientA, add(2, "PM-A-2", fileRef(doc, "Accord signé.pdf"), "Accord"))[0], 2, api.PushRejected, api.CodeBlobMissing)

	// After the upload, as a new entry: applied.
	e.upload(coop, doc, "Accord signé.pdf")
	res = e.push(coop, clientA, add(3, "PM-A-3", fileRef(doc, "../Accord signé.pdf"), "Accord de multi-propriété"))
	wantResult(t, res[0], 3, api.PushApplied, "")
	ev := res[0].Evidence
	if ev == nil || ev.ID != "PM-A-3" || ev.NCID != ncEvidence || ev.Type != api.EvidenceType || ev.Date != "2019-06-10" ||
		ev.File.Name != "Accord signé.pdf" || ev.File.Size != int64(len(doc)) || ev.Subject != "Accord de multi-propriété" || ev.Submitted {
		t.Fatalf("evidence: %+v", ev)
	}
	if got, ok := e.evidence(coop, "PM-A-3"); !ok || got.File.SHA256 != sum256(doc) {
		t.Fatalf("pulled evidence: %v %+v", ok, got)
	}
	// Replays: the same seq is a duplicate; the same id under a new seq is the same
	// attachment; the same id for another file is refused.
	wantResult(t, e.push(coop, clientA, add(3, "PM-A-3", fileRef(doc, "Accord signé.pdf"), "Accord"))[0], 3, api.PushDuplicate, "")
	res = e.push(coop, clientA, add(4, "PM-A-3", fileRef(doc, "Accord signé.pdf"), "autre"))
	wantResult(t, res[0], 4, api.PushApplied, "")
	if res[0].Evidence.Subject != "Accord de multi-propriété" {
		t.Errorf("re-push changed the subject: %q", res[0].Evidence.Subject)
	}
	photo := payload(2000)
	e.upload(coop, photo, "photo.pdf")
	wantResult(t, e.push(coop, clientA, add(5, "PM-A-3", fileRef(photo, "photo.pdf"), ""))[0], 5, api.PushRejected, api.CodeBadEntry)
	n := 0
	for _, c := range e.allChanges(coop, 2000) {
		if c.Entity == api.EntityEvidence && c.Op == api.OpUpsert && strings.HasPrefix(c.ID, "PM-A-") {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d evidence records, want 1", n)
	}

	// Bad entries and limits (another client, so the seqs of clientA stay readable).
	var seq int64
	for _, c := range []struct {
		name  string
		entry api.PushEntry
		code  string
	}{
		{"no evidence id", add(0, "", fileRef(photo, "p.pdf"), ""), api.CodeBadEntry},
		{"evidence id with a slash", add(0, "PM/1", fileRef(photo, "p.pdf"), ""), api.CodeBadEntry},
		{"no file", add(0, "PM-B-1", nil, ""), api.CodeBadEntry},
		{"bad hash", add(0, "PM-B-2", &api.FileRef{SHA256: "abc", Name: "p.pdf"}, ""), api.CodeBadEntry},
		{"no name", add(0, "PM-B-3", fileRef(photo, ""), ""), api.CodeBadEntry},
		{"refused type", add(0, "PM-B-4", fileRef(photo, "p.exe"), ""), api.CodeTypeRefused},
		{"NC of another organisation", api.PushEntry{Kind: api.KindEvidenceAdd, NCID: "NC-171520-2019", EvidenceID: "PM-B-5", File: fileRef(photo, "p.pdf")}, api.CodeNCNotFound},
		{"NC awaiting a CA", api.PushEntry{Kind: api.KindEvidenceAdd, NCID: ncOpen, EvidenceID: "PM-B-6", File: fileRef(photo, "p.pdf")}, api.CodeNotAwaitingEvidence},
		{"closed NC", api.PushEntry{Kind: api.KindEvidenceAdd, NCID: ncShut, EvidenceID: "PM-B-7", File: fileRef(photo, "p.pdf")}, api.CodeNCClosed},
	} {
		t.Run(c.name, func(t *testing.T) {
			seq++
			c.entry.Seq = seq
			wantResult(t, e.push(coop, clientB, c.entry)[0], c.entry.Seq, api.PushRejected, c.code)
		})
	}

	// Subject and removal before submission.
	res = e.push(coop, clientA,
		api.PushEntry{Seq: 6, Kind: api.KindEvidenceSubject, NCID: ncEvidence, EvidenceID: "PM-A-3", Text: "Accord signé le 3 juin"},
		api.PushEntry{Seq: 7, Kind: api.KindEvidenceSubject, NCID: ncEvidence, EvidenceID: "PM-3542-0001", Text: ""},
		api.PushEntry{Seq: 8, Kind: api.KindEvidenceRemove, NCID: ncEvidence, EvidenceID: "PM-3542-0002"},
		api.PushEntry{Seq: 9, Kind: api.KindEvidenceRemove, NCID: ncEvidence, EvidenceID: "PM-nope"},
		api.PushEntry{Seq: 10, Kind: api.KindEvidenceSubject, NCID: ncOpen, EvidenceID: "PM-A-3", Text: "x"},
	)
	wantResult(t, res[0], 6, api.PushApplied, "")
	if res[0].Evidence == nil || res[0].Evidence.Subject != "Accord signé le 3 juin" {
		t.Fatalf("subject result: %+v", res[0].Evidence)
	}
	wantResult(t, res[1], 7, api.PushApplied, "")
	wantResult(t, res[2], 8, api.PushApplied, "")
	wantResult(t, res[3], 9, api.PushRejected, api.CodeEvidenceNotFound)
	wantResult(t, res[4], 10, api.PushRejected, api.CodeEvidenceNotFound)
	if _, ok := e.evidence(coop, "PM-3542-0002"); ok {
		t.Fatal("removed evidence still pulled")
	}

	// Submission: a stale revision conflicts, the current one sends the two files.
	nc := e.nc(coop, ncEvidence)
	res = e.push(coop, clientA, api.PushEntry{Seq: 11, Kind: api.KindEvidenceSubmit, NCID: ncEvidence, BaseRevision: nc.Revision - 1})
	wantResult(t, res[0], 11, api.PushConflict, api.CodeNCChanged)
	if res[0].NC == nil || res[0].NC.Revision != nc.Revision {
		t.Fatalf("conflict without the NC: %+v", res[0].NC)
	}
	res = e.push(coop, clientA, api.PushEntry{Seq: 12, Kind: api.KindEvidenceSubmit, NCID: ncEvidence, BaseRevision: nc.Revision})
	wantResult(t, res[0], 12, api.PushApplied, "")
	got := res[0].NC
	if got.Stage != api.StageEvidenceSubmitted || got.EvidenceStatus != api.StatusSubmitted || got.Revision != nc.Revision+1 ||
		len(got.EvidenceHistory) != 1 || strings.Join(got.EvidenceHistory[0].Files, ",") != "PM-3542-0001,PM-A-3" ||
		got.EvidenceHistory[0].SubmittedBy != "Marie Ngo Bassa" {
		t.Fatalf("submitted NC: %+v", got)
	}
	if ev, _ := e.evidence(coop, "PM-A-3"); !ev.Submitted {
		t.Error("evidence not marked submitted")
	}
	// After submission nothing changes any more.
	res = e.push(coop, clientA,
		api.PushEntry{Seq: 13, Kind: api.KindEvidenceSubject, NCID: ncEvidence, EvidenceID: "PM-A-3", Text: "y"},
		api.PushEntry{Seq: 14, Kind: api.KindEvidenceRemove, NCID: ncEvidence, EvidenceID: "PM-A-3"},
		add(15, "PM-A-15", fileRef(photo, "photo.pdf"), ""),
		api.PushEntry{Seq: 16, Kind: api.KindEvidenceSubmit, NCID: ncEvidence, BaseRevision: got.Revision},
	)
	wantResult(t, res[0], 13, api.PushRejected, api.CodeEvidenceSubmitted)
	wantResult(t, res[1], 14, api.PushRejected, api.CodeEvidenceSubmitted)
	wantResult(t, res[2], 15, api.PushRejected, api.CodeNotAwaitingEvidence)
	wantResult(t, res[3], 16, api.PushRejected, api.CodeNotAwaitingEvidence)

	// The trail has the attachments, by name, never the content.
	evs, err := e.srv.Events(context.Background(), demo.OrgCoop, ncEvidence)
	if err != nil {
		t.Fatal(err)
	}
	trail := ""
	for _, ev := range evs {
		trail += ev.Action + " " + ev.Detail + "\n"
	}
	for _, want := range []string{"push evidence.add: rejected (blob_missing)", "push evidence.add: applied", "Accord signé.pdf",
		"push evidence.subject: applied", "push evidence.remove: applied", "push evidence.submit: applied"} {
		if !strings.Contains(trail, want) {
			t.Errorf("trail lacks %q:\n%s", want, trail)
		}
	}
	if strings.Contains(trail, string(doc)) {
		t.Error("trail holds file content")
	}
}

func TestEvidenceDecisionsAndFinalise(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	coop := e.token("coop")
	const org, audit = demo.OrgCoop, "AO-38369"

	// An NC awaiting evidence with no file: submitting is refused.
	nc := e.nc(coop, ncOpen)
	wantResult(t, e.push(coop, clientA, api.PushEntry{Seq: 1, Kind: api.KindCASubmit, NCID: ncOpen, BaseRevision: nc.Revision, Text: "Réunions."})[0], 1, api.PushApplied, "")
	if err := e.srv.AcceptCA(ctx, "analyst", org, ncOpen, true, "", ""); err != nil {
		t.Fatal(err)
	}
	nc = e.nc(coop, ncOpen)
	wantResult(t, e.push(coop, clientA, api.PushEntry{Seq: 2, Kind: api.KindEvidenceSubmit, NCID: ncOpen, BaseRevision: nc.Revision})[0], 2, api.PushRejected, api.CodeNoEvidence)

	// Submit the demo NC's evidence; the analyst returns it, then accepts the next.
	nc = e.nc(coop, ncEvidence)
	wantResult(t, e.push(coop, clientA, api.PushEntry{Seq: 3, Kind: api.KindEvidenceSubmit, NCID: ncEvidence, BaseRevision: nc.Revision})[0], 3, api.PushApplied, "")
	if err := e.srv.AcceptEvidence(ctx, "analyst", org, ncOpen, ""); !errors.Is(err, workflow.ErrWrongStage) {
		t.Fatalf("accepting evidence not submitted: %v", err)
	}
	if err := e.srv.ReturnEvidence(ctx, "analyst", org, ncEvidence, " ", ""); !errors.Is(err, workflow.ErrCommentRequired) {
		t.Fatalf("return without comment: %v", err)
	}
	if err := e.srv.ReturnEvidence(ctx, "coop", org, ncEvidence, "x", ""); !errors.Is(err, workflow.ErrRole) {
		t.Fatalf("client returning: %v", err)
	}
	if err := e.srv.ReturnEvidence(ctx, "analyst", org, ncEvidence, "L'accord n'est pas signé.", "2019-09-01"); err != nil {
		t.Fatal(err)
	}
	nc = e.nc(coop, ncEvidence)
	if nc.Stage != api.StageEvidenceReturned || nc.EvidenceStatus != api.StatusReturned || nc.EvidenceDueDate != "2019-09-01" ||
		nc.EvidenceHistory[0].Decision != workflow.DecisionReturned || nc.EvidenceHistory[0].Comment != "L'accord n'est pas signé." {
		t.Fatalf("returned NC: %+v", nc)
	}
	if ev, _ := e.evidence(coop, "PM-3542-0001"); ev.Decision != workflow.DecisionReturned || !ev.Submitted {
		t.Fatalf("returned evidence: %+v", ev)
	}
	signed := []byte("%PDF-1.4 accord signé")
	e.upload(coop, signed, "signé.pdf")
	res := e.push(coop, clientA,
		api.PushEntry{Seq: 4, Kind: api.KindEvidenceAdd, NCID: ncEvidence, EvidenceID: "PM-A-4", File: fileRef(signed, "signé.pdf"), Text: "Accord signé"},
		api.PushEntry{Seq: 5, Kind: api.KindEvidenceSubmit, NCID: ncEvidence, BaseRevision: nc.Revision})
	wantResult(t, res[0], 4, api.PushApplied, "")
	wantResult(t, res[1], 5, api.PushApplied, "")
	if h := res[1].NC.EvidenceHistory; len(h) != 2 || strings.Join(h[1].Files, ",") != "PM-A-4" {
		t.Fatalf("second submission: %+v", h)
	}

	// Finalising is refused while NCs of the audit are open, and says which.
	_, err := e.srv.FinaliseCertification(ctx, "analyst", org, audit)
	if !errors.Is(err, workflow.ErrOpenNCs) || !strings.Contains(err.Error(), ncEvidence) || !strings.Contains(err.Error(), ncOpen) ||
		strings.Contains(err.Error(), hiddenNC) {
		t.Fatalf("finalise with open NCs: %v", err)
	}
	if err := e.srv.AcceptEvidence(ctx, "analyst", org, ncEvidence, "Satisfait."); err != nil {
		t.Fatal(err)
	}
	nc = e.nc(coop, ncEvidence)
	if nc.Stage != api.StageClosed || nc.EvidenceStatus != api.StatusAccepted || nc.EvidenceHistory[1].Decision != workflow.DecisionAccepted {
		t.Fatalf("accepted NC: %+v", nc)
	}
	if ev, _ := e.evidence(coop, "PM-A-4"); ev.Decision != workflow.DecisionAccepted {
		t.Fatalf("accepted evidence: %+v", ev)
	}
	if ev, _ := e.evidence(coop, "PM-3542-0001"); ev.Decision != workflow.DecisionReturned {
		t.Fatalf("a file of the returned submission changed: %+v", ev)
	}
	if _, err := e.srv.FinaliseCertification(ctx, "analyst", org, audit); !errors.Is(err, workflow.ErrOpenNCs) {
		t.Fatalf("finalise with one open NC: %v", err)
	}
	if err := e.srv.CloseNC(ctx, "analyst", org, ncOpen, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.FinaliseCertification(ctx, "auditor", org, audit); !errors.Is(err, workflow.ErrRole) {
		t.Fatalf("auditor finalising: %v", err)
	}
	cert, err := e.srv.FinaliseCertification(ctx, "analyst", org, audit)
	if err != nil {
		t.Fatal(err)
	}
	if cert.Number != "FLO-3542-2019-1" || cert.Description != "CERT Certificate web en" || cert.Year != 2019 ||
		cert.ValidUntil != "2022-06-10" || cert.File == nil {
		t.Fatalf("certificate: %+v", cert)
	}
	// The client pulls the certificate, its PDF, the certification and the closed audit.
	var gotCert api.Certificate
	var certification api.Certification
	var gotAudit api.Audit
	for _, c := range e.allChanges(coop, 2000) {
		switch {
		case c.Entity == api.EntityCertificate && c.ID == cert.ID:
			decode(t, c.Data, &gotCert)
		case c.Entity == api.EntityCertification:
			decode(t, c.Data, &certification)
		case c.Entity == api.EntityAudit && c.ID == audit:
			decode(t, c.Data, &gotAudit)
		}
	}
	if gotCert.Number != cert.Number || gotCert.File == nil {
		t.Fatalf("pulled certificate: %+v", gotCert)
	}
	if certification.Status != "certified" || certification.CertificateNo != cert.Number || certification.CycleStart != "2019-06-10" ||
		certification.LastAudit != "2019-04-08" || gotAudit.Status != "closed" {
		t.Fatalf("certification %+v, audit %+v", certification, gotAudit)
	}
	r := e.do("GET", "/files/"+gotCert.File.SHA256, coop, nil)
	if r.status != http.StatusOK || !bytes.HasPrefix(r.body, []byte("%PDF")) || !bytes.Contains(r.body, []byte(cert.Number)) {
		t.Fatalf("certificate PDF: %d %.40q", r.status, r.body)
	}
	if _, err := e.srv.FinaliseCertification(ctx, "analyst", org, audit); !errors.Is(err, workflow.ErrWrongStage) {
		t.Fatalf("finalising twice: %v", err)
	}
	if _, err := e.srv.FinaliseCertification(ctx, "analyst", org, "AO-00000"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown audit: %v", err)
	}
}

func TestConsoleEvidence(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	coop := e.token("coop")
	nc := e.nc(coop, ncEvidence)
	wantResult(t, e.push(coop, clientA, api.PushEntry{Seq: 1, Kind: api.KindEvidenceSubmit, NCID: ncEvidence, BaseRevision: nc.Revision})[0], 1, api.PushApplied, "")

	b := e.browser()
	b.login("analyst")
	ncPath := "/console/orgs/3542/ncs/" + ncEvidence
	p := b.get(ncPath)
	wantStatus(t, p, http.StatusOK)
	for _, want := range []string{`data-testid="evidence-PM-3542-0001"`, `data-testid="evidence-PM-3542-0002"`, "image.png",
		`data-testid="accept-evidence-submit"`, `data-testid="return-evidence-submit"`, `data-testid="evidence-version-0"`,
		`href="` + ncPath + `/evidence/PM-3542-0001"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("NC page lacks %s", want)
		}
	}
	// The download: the bytes, as an attachment, in a sandbox.
	d := b.get(ncPath + "/evidence/PM-3542-0001")
	wantStatus(t, d, http.StatusOK)
	if !strings.HasPrefix(d.body, "\x89PNG") || !strings.HasPrefix(d.header.Get("Content-Disposition"), "attachment") ||
		!strings.Contains(d.header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("download: %v", d.header)
	}
	wantStatus(t, b.get("/console/orgs/3542/ncs/NC-167140-2019/evidence/PM-3542-0001"), http.StatusNotFound)

	// Forms: refused without the CSRF token; a return without comment re-renders.
	wantStatus(t, b.post(ncPath+"/return-evidence", url.Values{"comment": {"x"}}), http.StatusForbidden)
	p = b.post(ncPath+"/return-evidence", url.Values{"csrf": {csrfOf(t, p)}, "comment": {""}})
	wantStatus(t, p, http.StatusBadRequest)
	if !strings.Contains(p.body, `data-testid="error"`) {
		t.Error("no error shown")
	}
	p = b.post(ncPath+"/return-evidence", url.Values{"csrf": {csrfOf(t, p)}, "comment": {"Illisible."}})
	wantStatus(t, p, http.StatusSeeOther)
	if p.location != ncPath+"?done=return-evidence" {
		t.Errorf("redirect: %q", p.location)
	}
	if got := e.nc(coop, ncEvidence); got.Stage != api.StageEvidenceReturned {
		t.Fatalf("stage after return: %s", got.Stage)
	}
	nc = e.nc(coop, ncEvidence)
	img := payload(700)
	e.upload(coop, img, "p.pdf")
	res := e.push(coop, clientA,
		api.PushEntry{Seq: 2, Kind: api.KindEvidenceAdd, NCID: ncEvidence, EvidenceID: "PM-A-2", File: fileRef(img, "p.pdf")},
		api.PushEntry{Seq: 3, Kind: api.KindEvidenceSubmit, NCID: ncEvidence, BaseRevision: nc.Revision})
	wantResult(t, res[1], 3, api.PushApplied, "")
	p = b.get(ncPath)
	p = b.post(ncPath+"/accept-evidence", url.Values{"csrf": {csrfOf(t, p)}, "comment": {"Satisfait."}})
	wantStatus(t, p, http.StatusSeeOther)
	if got := e.nc(coop, ncEvidence); got.Stage != api.StageClosed {
		t.Fatalf("stage after accept: %s", got.Stage)
	}

	// Finalise: disabled while NC-167140-2019 is open, listed; then allowed.
	auditPath := "/console/orgs/3542/audits/AO-38369"
	p = b.get(auditPath)
	wantStatus(t, p, http.StatusOK)
	if !strings.Contains(p.body, `data-testid="open-nc-NC-167140-2019"`) || !strings.Contains(p.body, `data-testid="finalise-submit" disabled`) {
		t.Fatalf("audit page with an open NC: %.2000s", p.body)
	}
	wantStatus(t, b.post(auditPath+"/finalise", url.Values{"csrf": {csrfOf(t, p)}}), http.StatusConflict)
	if err := e.srv.CloseNC(ctx, "analyst", demo.OrgCoop, ncOpen, ""); err != nil {
		t.Fatal(err)
	}
	p = b.get(auditPath)
	if strings.Contains(p.body, `data-testid="finalise-submit" disabled`) {
		t.Fatal("finalise still disabled")
	}
	wantStatus(t, b.post(auditPath+"/finalise", url.Values{}), http.StatusForbidden)
	p = b.post(auditPath+"/finalise", url.Values{"csrf": {csrfOf(t, p)}})
	wantStatus(t, p, http.StatusSeeOther)
	p = b.get(p.location)
	if !strings.Contains(p.body, `data-testid="flash"`) || !strings.Contains(p.body, "closed") {
		t.Errorf("after finalise: %.1500s", p.body)
	}
	found := false
	for _, c := range e.allChanges(coop, 2000) {
		found = found || c.Entity == api.EntityCertificate && c.ID == "CERT-3542-2019-1"
	}
	if !found {
		t.Error("no new certificate for the client")
	}

	// Auditors see the evidence but neither download links nor decisions.
	a := e.browser()
	a.login("auditor")
	p = a.get(ncPath)
	if strings.Contains(p.body, "/evidence/PM-") || strings.Contains(p.body, "finalise-submit") {
		t.Error("auditor sees analyst actions")
	}
	wantStatus(t, a.get(ncPath+"/evidence/PM-3542-0001"), http.StatusForbidden)
}
