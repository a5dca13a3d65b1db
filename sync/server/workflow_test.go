package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
	"github.com/ecert-desktop/ecert-desktop/sync/server/workflow"
)

// pulledNC returns the NC as the client's change log has it, or false.
func (e *env) pulledNC(token, id string) (api.NC, bool) {
	e.t.Helper()
	var nc api.NC
	found := false
	for _, c := range e.allChanges(token, 2000) {
		if c.Entity == api.EntityNC && c.ID == id {
			found = c.Op == api.OpUpsert
			if found {
				decode(e.t, c.Data, &nc)
			}
		}
	}
	return nc, found
}

func TestWorkflow(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	coop := e.token("coop")
	const org, id = demo.OrgCoop, "NC-900001-2019"

	// 1. The auditor enters an NC: invisible to the client.
	nc := api.NC{ID: id, AuditID: "AO-38369", CriterionNumber: "3.4.0.07", CriterionText: "Contrat écrit.", CriterionType: "core", Finding: "Pas de contrat.", Score: 2}
	if err := e.srv.EnterNC(ctx, "auditor", org, nc); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.EnterNC(ctx, "auditor", org, nc); !errors.Is(err, workflow.ErrExists) {
		t.Fatalf("entering twice: %v", err)
	}
	if err := e.srv.EnterNC(ctx, "analyst", org, api.NC{AuditID: "AO-38369", CriterionNumber: "1", CriterionType: "core", Finding: "x"}); !errors.Is(err, workflow.ErrRole) {
		t.Fatalf("analyst entering: %v", err)
	}
	if _, ok := e.pulledNC(coop, id); ok {
		t.Fatal("entered NC visible to the client")
	}
	wantError(t, e.do("GET", "/ncs/"+id, coop, nil), 404, api.CodeNotFound)

	// 2. The analyst confirms it and requests a CA: now the client sees it.
	if err := e.srv.ConfirmNC(ctx, "coop", org, id, "2019-08-01"); !errors.Is(err, workflow.ErrRole) {
		t.Fatalf("client confirming: %v", err)
	}
	if err := e.srv.ConfirmNC(ctx, "analyst", org, id, "01/08/2019"); !errors.Is(err, workflow.ErrInvalid) {
		t.Fatalf("bad date: %v", err)
	}
	if err := e.srv.ConfirmNC(ctx, "analyst", org, id, "2019-08-01"); err != nil {
		t.Fatal(err)
	}
	got, ok := e.pulledNC(coop, id)
	if !ok || got.Stage != api.StageCARequested || got.CAStatus != api.StatusRequested || got.ReceivedDate != "2019-06-10" ||
		got.DueDate != "2019-08-01" || got.Score != 2 {
		t.Fatalf("confirmed NC: %v %+v", ok, got)
	}
	if err := e.srv.ConfirmNC(ctx, "analyst", org, id, "2019-08-01"); !errors.Is(err, workflow.ErrWrongStage) {
		t.Fatalf("confirming twice: %v", err)
	}
	if err := e.srv.AcceptCA(ctx, "analyst", org, id, true, "", ""); !errors.Is(err, workflow.ErrWrongStage) {
		t.Fatalf("accepting before a CA: %v", err)
	}

	// 3-4. The client submits; the analyst accepts and requests evidence.
	r := e.push(coop, clientA, api.PushEntry{Seq: 1, Kind: api.KindCASubmit, NCID: id, BaseRevision: got.Revision, Text: "Contrats pour tous."})
	wantResult(t, r[0], 1, api.PushApplied, "")
	e.clock.Add(600e9)
	// The evidence step has its own deadline, checked like any date; the CA's stays.
	if err := e.srv.AcceptCA(ctx, "analyst", org, id, true, "Satisfait.", "1/9/2019"); !errors.Is(err, workflow.ErrInvalid) {
		t.Fatalf("bad evidence due date: %v", err)
	}
	if err := e.srv.AcceptCA(ctx, "analyst", org, id, false, "Satisfait.", "2019-08-20"); !errors.Is(err, workflow.ErrInvalid) {
		t.Fatalf("evidence due date without evidence: %v", err)
	}
	if got = e.nc(coop, id); got.Stage != api.StageCASubmitted {
		t.Fatalf("a refused accept changed the NC: %+v", got)
	}
	if err := e.srv.AcceptCA(ctx, "analyst", org, id, true, "Satisfait.", "2019-08-20"); err != nil {
		t.Fatal(err)
	}
	got = e.nc(coop, id)
	if got.EvidenceDueDate != "2019-08-20" || got.DueDate != "2019-08-01" || got.StepDueDate() != "2019-08-20" {
		t.Fatalf("evidence deadline: evidence %q, CA %q, step %q", got.EvidenceDueDate, got.DueDate, got.StepDueDate())
	}
	if got.Stage != api.StageEvidenceRequested || got.CAStatus != api.StatusAccepted || got.EvidenceStatus != api.StatusRequested ||
		got.CA.AnalystComment != "Satisfait." || !got.CA.DecidedAt.Equal(e.clock.Now()) ||
		len(got.CAHistory) != 1 || got.CAHistory[0].Decision != workflow.DecisionAccepted || got.CAHistory[0].Comment != "Satisfait." {
		t.Fatalf("accepted: %+v", got)
	}
	// Closing the NC, then asking for evidence again reopens it.
	if err := e.srv.CloseNC(ctx, "analyst", org, id, "Preuves reçues."); err != nil {
		t.Fatal(err)
	}
	if got = e.nc(coop, id); got.Stage != api.StageClosed {
		t.Fatalf("closed: %+v", got)
	}
	if ms := e.messages(coop, id); len(ms) != 1 || ms[0].Body != "Preuves reçues." || ms[0].AuthorRole != api.RoleAnalyst {
		t.Fatalf("closing comment: %+v", ms)
	}
	if err := e.srv.CloseNC(ctx, "analyst", org, id, ""); !errors.Is(err, workflow.ErrWrongStage) {
		t.Fatalf("closing twice: %v", err)
	}
	if err := e.srv.RequestEvidence(ctx, "analyst", org, id, "2019-09-01"); err != nil {
		t.Fatal(err)
	}
	if got = e.nc(coop, id); got.Stage != api.StageEvidenceRequested || got.EvidenceDueDate != "2019-09-01" || got.DueDate != "2019-08-01" {
		t.Fatalf("evidence re-requested: %+v", got)
	}

	// Return with a comment.
	r = e.push(coop, clientA, api.PushEntry{Seq: 2, Kind: api.KindCASubmit, NCID: ncOpen2, BaseRevision: e.nc(coop, ncOpen2).Revision, Text: "Inspections."})
	wantResult(t, r[0], 2, api.PushApplied, "")
	if err := e.srv.ReturnCA(ctx, "analyst", org, ncOpen2, "  ", ""); !errors.Is(err, workflow.ErrCommentRequired) {
		t.Fatalf("return without comment: %v", err)
	}
	if err := e.srv.ReturnCA(ctx, "analyst", org, ncOpen2, "Quand ?", "2019-10-15"); err != nil {
		t.Fatal(err)
	}
	got = e.nc(coop, ncOpen2)
	if got.Stage != api.StageCAReturned || got.CAStatus != api.StatusReturned || got.CA.AnalystComment != "Quand ?" ||
		got.DueDate != "2019-10-15" || got.CAHistory[0].Decision != workflow.DecisionReturned {
		t.Fatalf("returned: %+v", got)
	}
	// Accept without evidence closes.
	r = e.push(coop, clientA, api.PushEntry{Seq: 3, Kind: api.KindCASubmit, NCID: ncOpen2, BaseRevision: got.Revision, Text: "Inspections en octobre."})
	wantResult(t, r[0], 3, api.PushApplied, "")
	if err := e.srv.AcceptCA(ctx, "analyst", org, ncOpen2, false, "", ""); err != nil {
		t.Fatal(err)
	}
	if got = e.nc(coop, ncOpen2); got.Stage != api.StageClosed || got.EvidenceStatus != "" || len(got.CAHistory) != 2 {
		t.Fatalf("accepted without evidence: %+v", got)
	}

	// Messages: only on confirmed NCs.
	if _, err := e.srv.AnalystMessage(ctx, "analyst", org, hiddenNC, "x"); !errors.Is(err, workflow.ErrWrongStage) {
		t.Fatalf("message on an entered NC: %v", err)
	}
	m, err := e.srv.AnalystMessage(ctx, "analyst", org, ncOpen, "Bonjour")
	if err != nil {
		t.Fatal(err)
	}
	if m.Author != "Claire Dubois" || m.AuthorRole != api.RoleAnalyst {
		t.Fatalf("message: %+v", m)
	}
	if _, err := e.srv.AnalystMessage(ctx, "analyst", demo.OrgEstate, ncOpen, "x"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("message on another organisation's NC: %v", err)
	}

	// The audit trail has all of it, in order.
	evs, err := e.srv.Events(ctx, org, id)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, ev := range evs {
		actions = append(actions, ev.Username+": "+ev.Action)
	}
	want := "auditor: enter NC|analyst: confirm NC and request CA|coop: push ca.submit: applied|analyst: accept CA and request evidence|analyst: close NC|analyst: request evidence"
	if strings.Join(actions, "|") != want {
		t.Fatalf("trail:\n got %s\nwant %s", strings.Join(actions, "|"), want)
	}
}

func TestImportClosingReport(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	count := func() int {
		ncs, err := e.srv.NCs(ctx, demo.OrgEstate)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, nc := range ncs {
			if nc.Stage == workflow.StageEntered {
				n++
			}
		}
		return n
	}
	csv := "criterion_number,criterion_text,criterion_type,finding,score\n" +
		"3.5.0.01,Registre des heures,core,\"Registre incomplet, octobre\",\n" +
		"2.1.0.05,Plan de prime,development,Pas de plan,2\n"
	n, err := e.srv.ImportClosingReport(ctx, "auditor", demo.OrgEstate, "AO-41207", strings.NewReader(csv), "csv")
	if err != nil || n != 2 || count() != 2 {
		t.Fatalf("csv: %d %v, %d entered", n, err, count())
	}
	js := `[{"criterion_number":"4.2.0.01","criterion_text":"Pesticides","criterion_type":"major","finding":"Stock","score":0}]`
	n, err = e.srv.ImportClosingReport(ctx, "auditor", demo.OrgEstate, "AO-41207", strings.NewReader(js), "json")
	if err != nil || n != 1 || count() != 3 {
		t.Fatalf("json: %d %v, %d entered", n, err, count())
	}
	bad := []struct{ name, format, body, audit string }{
		{"wrong header", "csv", "number,text,type,finding,score\n1,a,core,b,\n", "AO-41207"},
		{"bad type in row 2", "csv", "criterion_number,criterion_text,criterion_type,finding,score\n1,a,core,b,\n2,a,serious,b,\n", "AO-41207"},
		{"score out of range", "json", `[{"criterion_number":"1","criterion_type":"core","finding":"b","score":9}]`, "AO-41207"},
		{"unknown field", "json", `[{"criterion_number":"1","criterion_type":"core","finding":"b","colour":"red"}]`, "AO-41207"},
		{"empty", "json", `[]`, "AO-41207"},
		{"other organisation's audit", "json", `[{"criterion_number":"1","criterion_type":"core","finding":"b"}]`, "AO-38369"},
		{"format", "xml", `<x/>`, "AO-41207"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.srv.ImportClosingReport(ctx, "auditor", demo.OrgEstate, tc.audit, strings.NewReader(tc.body), tc.format)
			if !errors.Is(err, workflow.ErrInvalid) {
				t.Fatalf("got %v, want ErrInvalid", err)
			}
			if count() != 3 {
				t.Fatalf("a refused report entered NCs: %d", count())
			}
		})
	}
	// Entered NCs stay invisible to the estate.
	for _, c := range e.allChanges(e.token("estate"), 2000) {
		if c.Entity == api.EntityNC && strings.Contains(string(c.Data), `"stage":"entered"`) {
			t.Fatalf("entered NC in the change log: %s", c.Data)
		}
	}
}
