package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
)

// generalMessages are the messages about no NC an organisation's change log holds.
func generalMessages(e *env, token string) []api.Message {
	var out []api.Message
	for _, c := range e.allChanges(token, 500) {
		if c.Entity != api.EntityMessage || c.Op != api.OpUpsert {
			continue
		}
		var m api.Message
		if err := json.Unmarshal(c.Data, &m); err != nil {
			e.t.Fatal(err)
		}
		if m.NCID == "" {
			out = append(out, m)
		}
	}
	return out
}

// A message to the analyst about no NC goes once however often it is pushed, the
// analyst's reply comes back in the same thread, and another organisation sees neither.
func TestGeneralMessagesExactlyOnceWithReplies(t *testing.T) {
	e := newEnv(t)
	coop, estate := e.token("coop"), e.token("estate")
	entry := api.PushEntry{Seq: 1, Kind: api.KindMessageGeneral, Text: "Notre nouvelle adresse postale est BP 300."}

	first := e.push(coop, clientA, entry)
	wantResult(t, first[0], 1, api.PushApplied, "")
	if want := api.MessageID(clientA, 1); first[0].MessageID != want {
		t.Fatalf("message id: got %q, want %q", first[0].MessageID, want)
	}
	again := e.push(coop, clientA, entry)
	wantResult(t, again[0], 1, api.PushDuplicate, "")

	if _, err := e.srv.Workflow().AnalystGeneralMessage(context.Background(), "analyst", demo.OrgCoop, "Merci, c'est noté."); err != nil {
		t.Fatal(err)
	}
	got := generalMessages(e, coop)
	if len(got) != 2 || got[0].Body != entry.Text || got[0].AuthorRole != api.RoleClient || got[1].AuthorRole != api.RoleAnalyst {
		t.Fatalf("coop's general thread: %+v", got)
	}
	if other := generalMessages(e, estate); len(other) != 0 {
		t.Errorf("another organisation sees coop's general thread: %+v", other)
	}
}

func TestGeneralMessageRefusals(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	res := e.push(coop, clientA,
		api.PushEntry{Seq: 1, Kind: api.KindMessageGeneral, Text: "  "},
		api.PushEntry{Seq: 2, Kind: api.KindMessageGeneral, NCID: ncOpen, Text: "about an NC"},
		api.PushEntry{Seq: 3, Kind: api.KindMessageGeneral, Text: strings.Repeat("x", api.MaxTextBytes+1)},
	)
	wantResult(t, res[0], 1, api.PushRejected, api.CodeEmptyText)
	wantResult(t, res[1], 2, api.PushRejected, api.CodeBadEntry)
	wantResult(t, res[2], 3, api.PushRejected, api.CodeTextTooLong)
	if got := generalMessages(e, coop); len(got) != 0 {
		t.Errorf("refused entries wrote messages: %+v", got)
	}
}

// The console shows the general thread on the organisation's page, and the analyst
// replies there.
func TestConsoleGeneralThread(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	e.push(coop, clientA, api.PushEntry{Seq: 1, Kind: api.KindMessageGeneral, Text: "Question sur le contrat"})
	b := e.browser()
	wantStatus(t, b.login("analyst"), http.StatusSeeOther)
	page := b.get("/console/orgs/" + demo.OrgCoop)
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, "Question sur le contrat") {
		t.Fatalf("the org page does not show the general thread: %.600s", page.body)
	}
	p := b.post("/console/orgs/"+demo.OrgCoop+"/messages", url.Values{"csrf": {csrfOf(t, page)}, "body": {""}})
	if p.status != http.StatusBadRequest {
		t.Errorf("an empty reply: got %d, want 400", p.status)
	}
	p = b.post("/console/orgs/"+demo.OrgCoop+"/messages", url.Values{"csrf": {csrfOf(t, page)}, "body": {"Le contrat est en pièce jointe."}})
	wantStatus(t, p, http.StatusSeeOther)
	got := generalMessages(e, coop)
	if len(got) != 2 || got[1].Body != "Le contrat est en pièce jointe." || got[1].AuthorRole != api.RoleAnalyst {
		t.Fatalf("after the console reply: %+v", got)
	}
	// An auditor sees the thread but has no form to write in it.
	a := e.browser()
	wantStatus(t, a.login("auditor"), http.StatusSeeOther)
	if page := a.get("/console/orgs/" + demo.OrgCoop); strings.Contains(page.body, "general-message-submit") {
		t.Error("an auditor is offered the reply form")
	}
}
