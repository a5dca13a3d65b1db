package server_test

import (
	"context"
	"encoding/json"
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

// pulled returns the entities of a kind an organisation's change log holds, by id;
// deleted ones are absent.
func pulled[T any](e *env, token, entity string) map[string]T {
	out := map[string]T{}
	for _, c := range e.allChanges(token, 500) {
		if c.Entity != entity || c.Op != api.OpUpsert {
			continue
		}
		var v T
		if err := json.Unmarshal(c.Data, &v); err != nil {
			e.t.Fatal(err)
		}
		out[c.ID] = v
	}
	return out
}

const coopContact = "C-3542-02" // Samuel Fotso, of the coop

func requestEntry(seq int64, p api.ChangeProposal) api.PushEntry {
	return api.PushEntry{Seq: seq, Kind: api.KindChangeRequest, Change: &p}
}

// A contact change is sent once however often it is pushed, waits as pending with the
// old and proposed values, and once accepted the contact itself carries the new values
// in the change log, with the request accepted.
func TestChangeRequestAcceptedReplacesTheContact(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	entry := requestEntry(1, api.ChangeProposal{Target: api.TargetContact, Action: api.ActionUpdate, TargetID: coopContact,
		Fields: map[string]string{"email": " samuel.fotso@montvert.example ", "name": "Samuel Fotso"}, Note: "Nouvelle adresse"})

	first := e.push(coop, clientA, entry)
	wantResult(t, first[0], 1, api.PushApplied, "")
	cr := first[0].Request
	if cr == nil || cr.ID != api.RequestID(clientA, 1) || cr.Status != api.RequestPending {
		t.Fatalf("the result's request: %+v", cr)
	}
	// Only what changes is kept, trimmed, with the value it replaces.
	if len(cr.Fields) != 1 || cr.Fields["email"] != "samuel.fotso@montvert.example" || cr.Old["email"] != "s.fotso@montvert.example" {
		t.Errorf("fields %v, old %v", cr.Fields, cr.Old)
	}
	wantResult(t, e.push(coop, clientA, entry)[0], 1, api.PushDuplicate, "")
	if got := pulled[api.ChangeRequest](e, coop, api.EntityChangeRequest); len(got) != 1 || got[cr.ID].Status != api.RequestPending {
		t.Fatalf("pulled requests after a replay: %+v", got)
	}
	if c := pulled[api.Contact](e, coop, api.EntityContact)[coopContact]; c.Email != "s.fotso@montvert.example" {
		t.Fatalf("a pending request changed the contact: %+v", c)
	}

	if _, err := e.srv.ChangeRequests().Accept(context.Background(), "analyst", demo.OrgCoop, cr.ID, ""); err != nil {
		t.Fatal(err)
	}
	if c := pulled[api.Contact](e, coop, api.EntityContact)[coopContact]; c.Email != "samuel.fotso@montvert.example" || c.Name != "Samuel Fotso" {
		t.Errorf("the accepted value did not replace the old one: %+v", c)
	}
	got := pulled[api.ChangeRequest](e, coop, api.EntityChangeRequest)[cr.ID]
	if got.Status != api.RequestAccepted || got.DecidedBy == "" || got.DecidedAt.IsZero() {
		t.Errorf("the request after acceptance: %+v", got)
	}
	// Decided once: a second decision is refused and changes nothing.
	if _, err := e.srv.ChangeRequests().Refuse(context.Background(), "analyst", demo.OrgCoop, cr.ID, "non"); !errors.Is(err, workflow.ErrWrongStage) {
		t.Errorf("refusing an accepted request: got %v, want wrong_stage", err)
	}
}

// Adding and removing contacts, and changing the master data, all take effect only on
// acceptance; a refusal keeps its reason and changes nothing.
func TestChangeRequestAddRemoveOrganisationAndRefusal(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	ctx := context.Background()
	res := e.push(coop, clientA,
		requestEntry(1, api.ChangeProposal{Target: api.TargetContact, Action: api.ActionAdd,
			Fields: map[string]string{"name": "Paul Ndzi", "role": "Magasinier", "email": "p.ndzi@montvert.example", "phone": "+237 677 00 11 22"}}),
		requestEntry(2, api.ChangeProposal{Target: api.TargetContact, Action: api.ActionRemove, TargetID: "C-3542-03"}),
		requestEntry(3, api.ChangeProposal{Target: api.TargetOrganisation, Action: api.ActionUpdate,
			Fields: map[string]string{"phone": "+237 233 00 00 00", "city": "Dschang"}}),
		requestEntry(4, api.ChangeProposal{Target: api.TargetOrganisation, Action: api.ActionUpdate,
			Fields: map[string]string{"website": "https://www.montvert.example"}}),
	)
	for i, r := range res {
		wantResult(t, r, int64(i+1), api.PushApplied, "")
	}
	if old := res[1].Request.Old; old["name"] != "Alice Kamga" {
		t.Errorf("a removal keeps the contact's values: %v", old)
	}
	for _, r := range res[:3] {
		if _, err := e.srv.ChangeRequests().Accept(ctx, "analyst", demo.OrgCoop, r.Request.ID, "Merci"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.srv.ChangeRequests().Refuse(ctx, "analyst", demo.OrgCoop, res[3].Request.ID, "  "); !errors.Is(err, workflow.ErrCommentRequired) {
		t.Errorf("a refusal without a reason: got %v", err)
	}
	if _, err := e.srv.ChangeRequests().Refuse(ctx, "analyst", demo.OrgCoop, res[3].Request.ID, "Le site n'est pas encore en ligne."); err != nil {
		t.Fatal(err)
	}
	contacts := pulled[api.Contact](e, coop, api.EntityContact)
	added := pulled[api.ChangeRequest](e, coop, api.EntityChangeRequest)[res[0].Request.ID]
	if c, ok := contacts[added.ResultID]; !ok || c.Name != "Paul Ndzi" || c.Company == "" {
		t.Errorf("the added contact %q: %+v", added.ResultID, contacts)
	}
	if _, ok := contacts["C-3542-03"]; ok {
		t.Error("the removed contact is still pulled")
	}
	o := pulled[api.Organisation](e, coop, api.EntityOrganisation)[demo.OrgCoop]
	if o.Phone != "+237 233 00 00 00" || o.City != "Dschang" || o.Website != "https://montvert.example" {
		t.Errorf("the organisation after one accepted and one refused request: %+v", o)
	}
	refused := pulled[api.ChangeRequest](e, coop, api.EntityChangeRequest)[res[3].Request.ID]
	if refused.Status != api.RequestRefused || refused.Comment != "Le site n'est pas encore en ligne." {
		t.Errorf("the refused request: %+v", refused)
	}
	// Only analysts decide.
	r := e.push(coop, clientA, requestEntry(5, api.ChangeProposal{Target: api.TargetOrganisation, Action: api.ActionUpdate,
		Fields: map[string]string{"email": "info@montvert.example"}}))
	if _, err := e.srv.ChangeRequests().Accept(ctx, "auditor", demo.OrgCoop, r[0].Request.ID, ""); !errors.Is(err, workflow.ErrRole) {
		t.Errorf("an auditor accepting: got %v, want role", err)
	}
	if _, err := e.srv.ChangeRequests().Accept(ctx, "analyst", demo.OrgEstate, r[0].Request.ID, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deciding a request under another organisation: got %v, want not found", err)
	}
}

// Every bad proposal is rejected with its own code and leaves nothing behind.
func TestChangeRequestRefusals(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	contact := func(fields map[string]string) api.ChangeProposal {
		return api.ChangeProposal{Target: api.TargetContact, Action: api.ActionUpdate, TargetID: coopContact, Fields: fields}
	}
	cases := []struct {
		name  string
		entry api.PushEntry
		code  string
	}{
		// The shape of the entry.
		{"no change", api.PushEntry{Kind: api.KindChangeRequest}, api.CodeBadEntry},
		{"names an NC", api.PushEntry{Kind: api.KindChangeRequest, NCID: ncOpen, Change: &api.ChangeProposal{Target: api.TargetOrganisation, Action: api.ActionUpdate, Fields: map[string]string{"city": "X"}}}, api.CodeBadEntry},
		{"unknown target", requestEntry(0, api.ChangeProposal{Target: "certificate", Action: api.ActionUpdate, Fields: map[string]string{"city": "X"}}), api.CodeBadEntry},
		{"organisation removed", requestEntry(0, api.ChangeProposal{Target: api.TargetOrganisation, Action: api.ActionRemove}), api.CodeBadEntry},
		{"unknown field", requestEntry(0, contact(map[string]string{"salary": "1"})), api.CodeBadEntry},
		{"organisation's name", requestEntry(0, api.ChangeProposal{Target: api.TargetOrganisation, Action: api.ActionUpdate, Fields: map[string]string{"name": "X"}}), api.CodeBadEntry},
		{"update without contact", requestEntry(0, api.ChangeProposal{Target: api.TargetContact, Action: api.ActionUpdate, Fields: map[string]string{"role": "X"}}), api.CodeBadEntry},
		{"line break", requestEntry(0, contact(map[string]string{"role": "a\nb"})), api.CodeBadEntry},
		// The values.
		{"no fields", requestEntry(0, contact(nil)), api.CodeNoChange},
		{"same values", requestEntry(0, contact(map[string]string{"name": "Samuel Fotso"})), api.CodeNoChange},
		{"e-mail without domain", requestEntry(0, contact(map[string]string{"email": "samuel@"})), api.CodeInvalidEmail},
		{"e-mail with a name", requestEntry(0, contact(map[string]string{"email": "Sam <s@x.example>"})), api.CodeInvalidEmail},
		{"e-mail without dot", requestEntry(0, contact(map[string]string{"email": "s@localhost"})), api.CodeInvalidEmail},
		{"phone with letters", requestEntry(0, contact(map[string]string{"phone": "call me"})), api.CodeInvalidPhone},
		{"phone too short", requestEntry(0, contact(map[string]string{"phone": "+237"})), api.CodeInvalidPhone},
		{"name too long", requestEntry(0, contact(map[string]string{"name": strings.Repeat("é", 121)})), api.CodeFieldTooLong},
		{"note too long", requestEntry(0, api.ChangeProposal{Target: api.TargetOrganisation, Action: api.ActionUpdate, Fields: map[string]string{"city": "X"}, Note: strings.Repeat("n", api.MaxNoteChars+1)}), api.CodeFieldTooLong},
		{"empty name", requestEntry(0, contact(map[string]string{"name": "  "})), api.CodeNameRequired},
		{"added without name", requestEntry(0, api.ChangeProposal{Target: api.TargetContact, Action: api.ActionAdd, Fields: map[string]string{"role": "X"}}), api.CodeNameRequired},
		// Whose contact.
		{"unknown contact", requestEntry(0, api.ChangeProposal{Target: api.TargetContact, Action: api.ActionRemove, TargetID: "C-404"}), api.CodeContactNotFound},
		{"another organisation's contact", requestEntry(0, api.ChangeProposal{Target: api.TargetContact, Action: api.ActionRemove, TargetID: "C-27816-01"}), api.CodeContactNotFound},
		{"the analyst", requestEntry(0, api.ChangeProposal{Target: api.TargetContact, Action: api.ActionUpdate, TargetID: "C-FLO-0457", Fields: map[string]string{"phone": "+49 228 000000"}}), api.CodeContactNotEditable},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.entry.Seq = int64(i + 1)
			res := e.push(coop, clientA, tc.entry)
			wantResult(t, res[0], tc.entry.Seq, api.PushRejected, tc.code)
		})
	}
	if got := pulled[api.ChangeRequest](e, coop, api.EntityChangeRequest); len(got) != 0 {
		t.Errorf("refused entries left requests: %+v", got)
	}
}

// The analyst sees the organisation's requests on its console page, old and proposed
// values side by side, and accepts or refuses them there; an auditor only reads.
func TestConsoleChangeRequests(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	res := e.push(coop, clientA,
		requestEntry(1, api.ChangeProposal{Target: api.TargetContact, Action: api.ActionUpdate, TargetID: coopContact,
			Fields: map[string]string{"phone": "+237 600 00 00 01"}}),
		requestEntry(2, api.ChangeProposal{Target: api.TargetOrganisation, Action: api.ActionUpdate,
			Fields: map[string]string{"city": "Dschang"}}))
	b := e.browser()
	wantStatus(t, b.login("analyst"), http.StatusSeeOther)
	page := b.get("/console/orgs/" + demo.OrgCoop)
	wantStatus(t, page, http.StatusOK)
	for _, want := range []string{"699 80 12 33", "600 00 00 01", "Dschang", "request-accept"} {
		if !strings.Contains(page.body, want) {
			t.Fatalf("the org page lacks %q: %s", want, page.body[strings.Index(page.body, "general-thread"):])
		}
	}
	base := "/console/orgs/" + demo.OrgCoop + "/requests/"
	p := b.post(base+res[1].Request.ID+"/refuse", url.Values{"csrf": {csrfOf(t, page)}, "comment": {""}})
	wantStatus(t, p, http.StatusBadRequest)
	p = b.post(base+res[0].Request.ID+"/accept", url.Values{"csrf": {csrfOf(t, page)}})
	wantStatus(t, p, http.StatusSeeOther)
	p = b.post(base+res[1].Request.ID+"/refuse", url.Values{"csrf": {csrfOf(t, page)}, "comment": {"Merci de joindre un justificatif."}})
	wantStatus(t, p, http.StatusSeeOther)
	if c := pulled[api.Contact](e, coop, api.EntityContact)[coopContact]; c.Phone != "+237 600 00 00 01" {
		t.Errorf("the accepted phone: %+v", c)
	}
	p = b.post(base+res[0].Request.ID+"/accept", url.Values{"csrf": {csrfOf(t, page)}})
	wantStatus(t, p, http.StatusConflict)
	p = b.post(base+"CR-none/accept", url.Values{"csrf": {csrfOf(t, page)}})
	wantStatus(t, p, http.StatusNotFound)

	a := e.browser()
	wantStatus(t, a.login("auditor"), http.StatusSeeOther)
	if page := a.get("/console/orgs/" + demo.OrgCoop); strings.Contains(page.body, `data-testid="request-accept"`) || !strings.Contains(page.body, "Dschang") {
		t.Error("an auditor is offered the decision forms, or does not see the requests")
	}
}
