package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// hiddenNC is the demo NC the auditor entered and the analyst has not confirmed, as the
// test servers' demo names it (told from servertest.DemoToday).
var hiddenNC = demo.NCID(servertest.DemoToday, demo.HiddenNCNumber)

// TestOrganisationIsolation reads every coop item with the estate's token.
func TestOrganisationIsolation(t *testing.T) {
	e := newEnv(t)
	coop, estate := e.token("coop"), e.token("estate")
	// A message of coop's general thread (about no NC) stays coop's too.
	const general = "Message général de la coopérative 3542"
	wantResult(t, e.push(coop, clientA, api.PushEntry{Seq: 1, Kind: api.KindMessageGeneral, Text: general})[0], 1, api.PushApplied, "")
	// So does a change request: pending, and after the analyst accepted it.
	const newPhone = "+237 611 22 33 44"
	cr := e.push(coop, clientA, requestEntry(2, api.ChangeProposal{Target: api.TargetContact, Action: api.ActionUpdate,
		TargetID: coopContact, Fields: map[string]string{"phone": newPhone}}))[0]
	wantResult(t, cr, 2, api.PushApplied, "")
	if _, err := e.srv.ChangeRequests().Accept(context.Background(), "analyst", demo.OrgCoop, cr.Request.ID, ""); err != nil {
		t.Fatal(err)
	}
	// The estate cannot ask to change or remove coop's contact, nor guess its way in.
	wantResult(t, e.push(estate, clientB, requestEntry(1, api.ChangeProposal{Target: api.TargetContact, Action: api.ActionRemove,
		TargetID: coopContact}))[0], 1, api.PushRejected, api.CodeContactNotFound)
	var hashes []string
	for _, c := range e.allChanges(coop, 2000) {
		if i := strings.Index(string(c.Data), `"sha256":"`); i >= 0 {
			hashes = append(hashes, string(c.Data)[i+10:i+74])
		}
	}
	if len(hashes) < 4 {
		t.Fatalf("found %d coop file hashes", len(hashes))
	}
	paths := []string{
		"/audits/AO-38369", "/audits/AO-28681", "/ncs/NC-167140-2019", "/ncs/NC-150424-2019",
		"/ncs/NC-167140-2019/messages", "/certificates/CERT-3542-2019", "/documents/DOC-3542-0001",
	}
	for _, h := range hashes {
		paths = append(paths, "/files/"+h)
	}
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			if r := e.do("GET", p, coop, nil); r.status != 200 {
				t.Fatalf("coop reading its own %s: %d %s", p, r.status, r.body)
			}
			wantError(t, e.do("GET", p, estate, nil), 404, api.CodeNotFound)
			wantError(t, e.do("GET", p, e.token("analyst"), nil), 403, api.CodeForbidden)
		})
	}
	for _, c := range e.allChanges(estate, 2000) {
		if strings.Contains(string(c.Data), demo.OrgCoop) || strings.Contains(c.ID, "3542") || strings.Contains(string(c.Data), general) || strings.Contains(string(c.Data), newPhone) || strings.Contains(string(c.Data), "AO-38369") {
			t.Errorf("estate sees coop data: %s %s", c.Entity, c.ID)
		}
	}
}

func TestHiddenNC(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	wantError(t, e.do("GET", "/ncs/"+hiddenNC, coop, nil), 404, api.CodeNotFound)
	wantError(t, e.do("GET", "/ncs/"+hiddenNC+"/messages", coop, nil), 404, api.CodeNotFound)

	// Once the analyst confirms it, it reaches the client with the next pull.
	all := e.allChanges(coop, 2000)
	nc := api.NC{ID: hiddenNC, AuditID: "AO-38369", CriterionNumber: "3.5.0.01", Stage: api.StageCARequested, CAStatus: api.StatusRequested}
	if err := e.srv.UpsertNC(context.Background(), demo.OrgCoop, nc); err != nil {
		t.Fatal(err)
	}
	var p api.ChangesPage
	decode(t, e.do("GET", "/changes?cursor="+itoa(int(all[len(all)-1].Seq)), coop, nil).body, &p)
	if len(p.Changes) != 1 || p.Changes[0].ID != hiddenNC {
		t.Fatalf("after confirming: %+v", p.Changes)
	}
	var got api.NC
	decode(t, p.Changes[0].Data, &got)
	if got.Revision != 2 {
		t.Errorf("revision %d, want 2 (entered, then confirmed)", got.Revision)
	}
}

// TestCrashReportsStayWithTheOperators: a crash report reaches no organisation's change
// log, and another organisation learns nothing of it, not even by sending its id.
func TestCrashReportsStayWithTheOperators(t *testing.T) {
	e := newEnv(t)
	coop, estate := e.token("coop"), e.token("estate")
	rep := crashReport(77)
	if r := e.do("POST", api.CrashReportsPath, coop, rep); r.status != 201 {
		t.Fatalf("coop's report: %d %s", r.status, r.body)
	}
	for _, tok := range []string{coop, estate} {
		for _, c := range e.allChanges(tok, 2000) {
			if strings.Contains(string(c.Data), rep.ID) {
				t.Errorf("a change log holds the crash report: %s %s", c.Entity, c.ID)
			}
		}
	}
	if r := e.do("POST", api.CrashReportsPath, estate, rep); r.status != 201 || strings.Contains(string(r.body), `"duplicate":true`) {
		t.Errorf("estate sending coop's report id: %d %s, want 201 as a report of its own", r.status, r.body)
	}
}

// TestEvidenceLinkIsolation: knowing another organisation's file hash never lets an
// organisation link that file (file_unknown, as for a hash nobody has), nor read it.
func TestEvidenceLinkIsolation(t *testing.T) {
	e := newEnv(t)
	coop, estate := e.token("coop"), e.token("estate")
	// One of the estate's NCs awaits evidence, so that the refusal is the file's.
	nc := api.NC{ID: "NC-171520-2019", AuditID: "AO-41207", CriterionNumber: "3.4.0.07", Stage: api.StageEvidenceRequested,
		CAStatus: api.StatusAccepted, EvidenceStatus: api.StatusRequested}
	if err := e.srv.UpsertNC(context.Background(), demo.OrgEstate, nc); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	seq := int64(0)
	for _, c := range e.allChanges(coop, 2000) {
		i := strings.Index(string(c.Data), `"sha256":"`)
		if i < 0 || seen[string(c.Data)[i+10:i+74]] {
			continue
		}
		h := string(c.Data)[i+10 : i+74]
		seen[h] = true
		seq++
		res := e.push(estate, "estate-client-0123456789", api.PushEntry{Seq: seq, Kind: api.KindEvidenceLink, NCID: nc.ID,
			EvidenceID: "PM-E-" + itoa(int(seq)), File: &api.FileRef{SHA256: h}})
		wantResult(t, res[0], seq, api.PushRejected, api.CodeFileUnknown)
		wantError(t, e.do("GET", "/files/"+h, estate, nil), 404, api.CodeNotFound)
	}
	if seq < 4 {
		t.Fatalf("tried %d coop hashes", seq)
	}
}

// TestTrailStaysWithItsOrganisation: no organisation reads another's trail (GET /trail).
func TestTrailStaysWithItsOrganisation(t *testing.T) {
	e := newEnv(t)
	coop, estate := e.token("coop"), e.token("estate")
	e.pushTrail(coop, clientA, trailOf("coop", 0, api.TrailGenesis, 2))
	if got := e.trail(estate); len(got) != 0 {
		t.Fatalf("estate reads %d records of coop's trail", len(got))
	}
	// The same replica id in another organisation starts a chain of its own.
	if ack := e.pushTrail(estate, clientA, trailOf("estate", 0, api.TrailGenesis, 1)).Trail; *ack != (api.TrailAck{Last: 1}) {
		t.Errorf("estate's first entry: ack %+v", ack)
	}
	if got := e.trail(coop); len(got) != 2 {
		t.Errorf("coop's trail has %d records after estate's push, want 2", len(got))
	}
	wantError(t, e.do("GET", "/trail", e.token("analyst"), nil), 403, api.CodeForbidden)
}

// TestChainsIsolation: another organisation neither sees a chain nor can remove it.
func TestChainsIsolation(t *testing.T) {
	e := newEnv(t)
	coop, estate := e.token("coop"), e.token("estate")
	const product = "Cacao secret de la coopérative"
	link := &api.ChainLink{Product: product, FLOID: "27816", Role: api.ChainBuyer}
	wantResult(t, e.push(coop, clientA, api.PushEntry{Seq: 1, Kind: api.KindChainAdd, Chain: link})[0], 1, api.PushApplied, "")
	// The estate removes "the same" link: its own organisation has none; coop's stays.
	wantResult(t, e.push(estate, "client-E-0123456789", api.PushEntry{Seq: 1, Kind: api.KindChainRemove,
		Chain: &api.ChainLink{Product: product, FLOID: "27816"}})[0], 1, api.PushApplied, "")
	for _, c := range e.allChanges(estate, 5000) {
		if c.Entity == api.EntityChainLink || strings.Contains(string(c.Data), product) {
			t.Errorf("estate sees coop's chain: %s %s", c.Entity, c.ID)
		}
	}
	found := false
	for _, c := range e.allChanges(coop, 5000) {
		if c.Entity == api.EntityChainLink && c.Op == api.OpUpsert && strings.Contains(string(c.Data), product) {
			found = true
		}
	}
	if !found {
		t.Error("coop's chain is gone after the estate's removal")
	}
}

// The organisation's accounts travel in its change log (entity member) for the offline
// assignee picker: its own accounts only, only what its people see of each other, and
// never in another organisation's log — not even once a manager adds or disables one.
func TestMembersStayWithTheirOrganisation(t *testing.T) {
	e := newEnv(t)
	coop, estate := e.token("coop"), e.token("estate")
	if r := e.do("POST", api.OrgUsersPath, coop, api.NewStaffRequest{Username: "awa.field", Name: "Awa Ndiaye"}); r.status != 201 {
		t.Fatalf("create staff: %d %s", r.status, r.body)
	}
	if r := e.do("POST", api.OrgUsersPath+"/awa.field/disable", coop, nil); r.status != 200 {
		t.Fatalf("disable staff: %d %s", r.status, r.body)
	}
	members := func(token string) map[string]map[string]any {
		out := map[string]map[string]any{}
		for _, c := range e.allChanges(token, 2000) {
			if c.Entity != api.EntityMember {
				continue
			}
			var m map[string]any
			decode(t, c.Data, &m)
			out[c.ID] = m
		}
		return out
	}
	got := members(coop)
	want := map[string]map[string]any{
		"coop":       {"username": "coop", "name": "Marie Ngo Bassa", "org_role": "manager", "disabled": false},
		"coop-staff": {"username": "coop-staff", "name": "Jean-Paul Essomba", "org_role": "staff", "disabled": false},
		"awa.field":  {"username": "awa.field", "name": "Awa Ndiaye", "org_role": "staff", "disabled": true},
	}
	if len(got) != len(want) {
		t.Errorf("coop's members: %v, want %v", got, want)
	}
	for id, w := range want {
		// Exactly these four facts: no hash, token, password or contact detail.
		if g := got[id]; len(g) != len(w) || g["name"] != w["name"] || g["org_role"] != w["org_role"] || g["disabled"] != w["disabled"] || g["username"] != id {
			t.Errorf("coop's member %s: %v, want %v", id, g, w)
		}
	}
	if got := members(estate); len(got) != 1 || got["estate"] == nil {
		t.Errorf("estate's members: %v, want estate alone", got)
	}
	for _, c := range e.allChanges(estate, 2000) {
		if d := string(c.Data) + c.ID; strings.Contains(d, "awa.field") || strings.Contains(d, "coop-staff") || strings.Contains(d, "Marie Ngo Bassa") {
			t.Errorf("estate sees coop's accounts: %s %s", c.Entity, c.ID)
		}
	}
	// FLOCERT's people are nobody's members.
	for _, token := range []string{coop, estate} {
		for id := range members(token) {
			if id == "analyst" || id == "auditor" {
				t.Errorf("member %s in an organisation's log", id)
			}
		}
	}
}
