package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/workflow"
)

const (
	clientA = "client-A-0123456789"
	clientB = "client-B-0123456789"
	ncOpen  = "NC-167140-2019" // coop, ca_requested
	ncOpen2 = "NC-174410-2018" // coop, ca_requested
	ncShut  = "NC-131877-2018" // coop, closed
)

// doRaw sends a raw JSON body, so tests can send bytes json.Marshal would repair.
func (e *env) doRaw(method, path, token string, body []byte) resp {
	e.t.Helper()
	req, err := http.NewRequest(method, e.http.URL+api.Version+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept-Encoding", "identity")
	res, err := e.http.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

// push sends entries and returns the results; the request must succeed.
func (e *env) push(token, clientID string, entries ...api.PushEntry) []api.PushResult {
	e.t.Helper()
	r := e.do("POST", "/push", token, api.PushRequest{ClientID: clientID, Entries: entries})
	if r.status != http.StatusOK {
		e.t.Fatalf("push: %d %s", r.status, r.body)
	}
	var pr api.PushResponse
	decode(e.t, r.body, &pr)
	if len(pr.Results) != len(entries) {
		e.t.Fatalf("push: %d results for %d entries", len(pr.Results), len(entries))
	}
	return pr.Results
}

func (e *env) nc(token, id string) api.NC {
	e.t.Helper()
	r := e.do("GET", "/ncs/"+id, token, nil)
	if r.status != 200 {
		e.t.Fatalf("GET nc %s: %d %s", id, r.status, r.body)
	}
	var nc api.NC
	decode(e.t, r.body, &nc)
	return nc
}

func (e *env) messages(token, ncID string) []api.Message {
	e.t.Helper()
	var ms []api.Message
	decode(e.t, e.do("GET", "/ncs/"+ncID+"/messages", token, nil).body, &ms)
	return ms
}

// reopen closes the server and opens the same data folder again, like a restart.
func (e *env) reopen() {
	e.t.Helper()
	if err := e.srv.Restart(); err != nil {
		e.t.Fatal(err)
	}
}

func wantResult(t *testing.T, got api.PushResult, seq int64, status, code string) {
	t.Helper()
	if got.Seq != seq || got.Status != status || got.Code != code {
		t.Fatalf("result: got seq %d %s %q (%s), want seq %d %s %q", got.Seq, got.Status, got.Code, got.Message, seq, status, code)
	}
}

func submitAndMessage(base int64) []api.PushEntry {
	return []api.PushEntry{
		{Seq: 1, Kind: api.KindCASubmit, NCID: ncOpen, BaseRevision: base, Text: "Réunions d'information sur chaque plantation en février."},
		{Seq: 2, Kind: api.KindMessage, NCID: ncOpen, Text: "Nous avons envoyé notre mesure corrective."},
	}
}

func TestPushAppliedThenDuplicate(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	before := e.nc(coop, ncOpen)
	msgsBefore := len(e.messages(coop, ncOpen))
	entries := submitAndMessage(before.Revision)

	first := e.push(coop, clientA, entries...)
	wantResult(t, first[0], 1, api.PushApplied, "")
	wantResult(t, first[1], 2, api.PushApplied, "")
	if first[0].NC == nil || first[0].NC.Stage != api.StageCASubmitted || first[0].NC.Revision != before.Revision+1 {
		t.Fatalf("submit result NC: %+v", first[0].NC)
	}
	if want := api.MessageID(clientA, 2); first[1].MessageID != want {
		t.Fatalf("message id: got %q, want %q", first[1].MessageID, want)
	}

	// The response was lost: the client sends the same request again.
	e.clock.Add(60_000_000_000)
	second := e.push(coop, clientA, entries...)
	wantResult(t, second[0], 1, api.PushDuplicate, "")
	wantResult(t, second[1], 2, api.PushDuplicate, "")
	a, _ := json.Marshal(first[0].NC)
	b, _ := json.Marshal(second[0].NC)
	if !bytes.Equal(a, b) || second[1].MessageID != first[1].MessageID {
		t.Fatalf("duplicate data differs:\n%s\n%s", a, b)
	}

	nc := e.nc(coop, ncOpen)
	if len(nc.CAHistory) != 1 || nc.Stage != api.StageCASubmitted || nc.CAStatus != api.StatusSubmitted || nc.Revision != before.Revision+1 {
		t.Fatalf("after replay: %+v", nc)
	}
	if nc.CAHistory[0].SubmittedBy != "Marie Ngo Bassa" || !nc.CA.SubmittedAt.Equal(e.clock.Now().Add(-60_000_000_000)) {
		t.Errorf("submitted by %q at %v", nc.CAHistory[0].SubmittedBy, nc.CA.SubmittedAt)
	}
	if got := len(e.messages(coop, ncOpen)); got != msgsBefore+1 {
		t.Fatalf("messages: got %d, want %d", got, msgsBefore+1)
	}
}

func TestPushReplayAfterRestart(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	entries := submitAndMessage(e.nc(coop, ncOpen).Revision)
	first := e.push(coop, clientA, entries...)
	wantResult(t, first[0], 1, api.PushApplied, "")

	e.reopen()
	second := e.push(coop, clientA, entries...)
	wantResult(t, second[0], 1, api.PushDuplicate, "")
	wantResult(t, second[1], 2, api.PushDuplicate, "")
	if nc := e.nc(coop, ncOpen); len(nc.CAHistory) != 1 {
		t.Fatalf("CA versions after restart: %d", len(nc.CAHistory))
	}
	n := 0
	for _, m := range e.messages(coop, ncOpen) {
		if m.ID == api.MessageID(clientA, 2) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("pushed message present %d times", n)
	}
}

func TestPushSeqGaps(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	msg := func(seq int64) api.PushEntry {
		return api.PushEntry{Seq: seq, Kind: api.KindMessage, NCID: ncOpen, Text: "message " + itoa(int(seq))}
	}
	res := e.push(coop, clientA, msg(5), msg(10), msg(11))
	for i, seq := range []int64{5, 10, 11} {
		wantResult(t, res[i], seq, api.PushApplied, "")
	}
	// A replay of a middle entry, an entry below the last one that never came, and a new one.
	res = e.push(coop, clientA, msg(7), msg(10), msg(12))
	wantResult(t, res[0], 7, api.PushRejected, api.CodeBadEntry)
	wantResult(t, res[1], 10, api.PushDuplicate, "")
	wantResult(t, res[2], 12, api.PushApplied, "")
	// Sequences are per client: another client starts at 1.
	wantResult(t, e.push(coop, clientB, msg(1))[0], 1, api.PushApplied, "")
	if got := len(e.messages(coop, ncOpen)); got != 3+5 {
		t.Fatalf("messages: got %d, want 8", got)
	}
}

func TestPushRejectedDoesNotBlock(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	shut := e.nc(coop, ncShut)
	res := e.push(coop, clientA,
		api.PushEntry{Seq: 1, Kind: api.KindCASubmit, NCID: ncShut, BaseRevision: shut.Revision, Text: "trop tard"},
		api.PushEntry{Seq: 2, Kind: api.KindMessage, NCID: ncOpen, Text: "bonjour"},
		api.PushEntry{Seq: 3, Kind: api.KindCADraft, NCID: ncShut, Text: "brouillon"},
		api.PushEntry{Seq: 4, Kind: api.KindMessage, NCID: ncShut, Text: "un message sur une NC close"},
	)
	wantResult(t, res[0], 1, api.PushRejected, api.CodeNCClosed)
	wantResult(t, res[1], 2, api.PushApplied, "")
	wantResult(t, res[2], 3, api.PushRejected, api.CodeNCClosed)
	wantResult(t, res[3], 4, api.PushApplied, "")
	// The stored rejection is what a replay gets.
	wantResult(t, e.push(coop, clientA, api.PushEntry{Seq: 1, Kind: api.KindCASubmit, NCID: ncShut, Text: "x"})[0], 1, api.PushRejected, api.CodeNCClosed)
	if got := e.nc(coop, ncShut); got.Revision != shut.Revision {
		t.Fatalf("closed NC changed: revision %d, was %d", got.Revision, shut.Revision)
	}
}

func TestPushDraftConflict(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	all := e.allChanges(coop, 2000)
	cursor := all[len(all)-1].Seq

	res := e.push(coop, clientA, api.PushEntry{Seq: 1, Kind: api.KindCADraft, NCID: ncOpen, Text: "version A"})
	wantResult(t, res[0], 1, api.PushApplied, "")
	if d := res[0].Draft; d == nil || d.Revision != 1 || d.Text != "version A" || d.UpdatedBy != "coop" || !d.UpdatedAt.Equal(e.clock.Now()) {
		t.Fatalf("draft: %+v", d)
	}
	// The second computer also started from no draft: conflict, carrying A's draft.
	res = e.push(coop, clientB, api.PushEntry{Seq: 1, Kind: api.KindCADraft, NCID: ncOpen, Text: "version B"})
	wantResult(t, res[0], 1, api.PushConflict, api.CodeDraftChanged)
	if d := res[0].Draft; d == nil || d.Text != "version A" || d.Revision != 1 {
		t.Fatalf("conflict draft: %+v", d)
	}
	// After merging, B saves on top of revision 1.
	res = e.push(coop, clientB, api.PushEntry{Seq: 2, Kind: api.KindCADraft, NCID: ncOpen, BaseRevision: 1, Text: "version A+B"})
	wantResult(t, res[0], 2, api.PushApplied, "")
	if res[0].Draft.Revision != 2 {
		t.Fatalf("draft revision %d, want 2", res[0].Draft.Revision)
	}
	var p api.ChangesPage
	decode(t, e.do("GET", "/changes?cursor="+itoa(int(cursor)), coop, nil).body, &p)
	if len(p.Changes) != 1 || p.Changes[0].Entity != api.EntityCADraft || p.Changes[0].ID != ncOpen {
		t.Fatalf("changes after drafts: %+v", p.Changes)
	}
	cursor = p.Changes[0].Seq

	// Submitting drops the shared draft: a tombstone follows.
	res = e.push(coop, clientA, api.PushEntry{Seq: 2, Kind: api.KindCASubmit, NCID: ncOpen, BaseRevision: e.nc(coop, ncOpen).Revision, Text: "version A+B"})
	wantResult(t, res[0], 2, api.PushApplied, "")
	decode(t, e.do("GET", "/changes?cursor="+itoa(int(cursor)), coop, nil).body, &p)
	ops := map[string]string{}
	for _, c := range p.Changes {
		ops[c.Entity] = c.Op
	}
	if ops[api.EntityCADraft] != api.OpDelete || ops[api.EntityNC] != api.OpUpsert {
		t.Fatalf("changes after submit: %+v", ops)
	}
	// After the submission the draft's revisions go on counting: B, which never pulled,
	// still holds revision 2 and cannot silently overwrite a draft started afresh.
	if err := e.srv.ReturnCA(context.Background(), "analyst", demo.OrgCoop, ncOpen, "Précisez.", "2027-01-01"); err != nil {
		t.Fatal(err)
	}
	res = e.push(coop, clientA, api.PushEntry{Seq: 3, Kind: api.KindCADraft, NCID: ncOpen, Text: "nouvelle version A"})
	wantResult(t, res[0], 3, api.PushApplied, "")
	if res[0].Draft.Revision <= 2 {
		t.Fatalf("a new draft after the submission took revision %d; it must go past 2", res[0].Draft.Revision)
	}
	res = e.push(coop, clientB, api.PushEntry{Seq: 3, Kind: api.KindCADraft, NCID: ncOpen, BaseRevision: 2, Text: "ancienne version B"})
	wantResult(t, res[0], 3, api.PushConflict, api.CodeDraftChanged)

	// Drafts are private: the audit trail says one was saved, never its text.
	evs, err := e.srv.Events(context.Background(), demo.OrgCoop, ncOpen)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		if strings.Contains(ev.Action, api.KindCADraft) && ev.Detail != "" {
			t.Errorf("draft text in the audit trail: %+v", ev)
		}
	}
}

func TestPushSubmitConflictAfterReturn(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	coop := e.token("coop")
	base := e.nc(coop, ncOpen).Revision
	wantResult(t, e.push(coop, clientA, api.PushEntry{Seq: 1, Kind: api.KindCASubmit, NCID: ncOpen, BaseRevision: base, Text: "CA 1"})[0],
		1, api.PushApplied, "")
	if err := e.srv.ReturnCA(ctx, "analyst", demo.OrgCoop, ncOpen, "Précisez les dates des réunions.", ""); err != nil {
		t.Fatal(err)
	}
	// Computer B still saw the NC as it was before A's submission.
	res := e.push(coop, clientB, api.PushEntry{Seq: 1, Kind: api.KindCASubmit, NCID: ncOpen, BaseRevision: base, Text: "CA from B"})
	wantResult(t, res[0], 1, api.PushConflict, api.CodeNCChanged)
	if nc := res[0].NC; nc == nil || nc.Stage != api.StageCAReturned || nc.CA.AnalystComment != "Précisez les dates des réunions." {
		t.Fatalf("conflict NC: %+v", res[0].NC)
	}
	// Rebased on the returned NC, it goes through.
	res = e.push(coop, clientB, api.PushEntry{Seq: 2, Kind: api.KindCASubmit, NCID: ncOpen, BaseRevision: res[0].NC.Revision, Text: "CA 2"})
	wantResult(t, res[0], 2, api.PushApplied, "")
	nc := e.nc(coop, ncOpen)
	if len(nc.CAHistory) != 2 || nc.CAHistory[0].Decision != workflow.DecisionReturned || nc.CAHistory[1].Text != "CA 2" ||
		nc.CA.Text != "CA 2" || nc.CA.AnalystComment != "" {
		t.Fatalf("after resubmission: %+v", nc)
	}
	// Not awaiting a CA any more.
	res = e.push(coop, clientA, api.PushEntry{Seq: 2, Kind: api.KindCASubmit, NCID: ncOpen, BaseRevision: nc.Revision, Text: "CA 3"})
	wantResult(t, res[0], 2, api.PushRejected, api.CodeNotAwaitingCA)
}

func TestPushOrgIsolation(t *testing.T) {
	e := newEnv(t)
	coop, estate := e.token("coop"), e.token("estate")
	before := e.nc(coop, ncOpen)
	msgs := len(e.messages(coop, ncOpen))
	coopLog := len(e.allChanges(coop, 2000))
	res := e.push(estate, clientA,
		api.PushEntry{Seq: 1, Kind: api.KindCASubmit, NCID: ncOpen, BaseRevision: before.Revision, Text: "intrusion"},
		api.PushEntry{Seq: 2, Kind: api.KindCADraft, NCID: ncOpen, Text: "intrusion"},
		api.PushEntry{Seq: 3, Kind: api.KindMessage, NCID: ncOpen, Text: "intrusion"},
		// The coop's hidden NC, by the coop itself: not visible, not found.
		api.PushEntry{Seq: 4, Kind: api.KindMessage, NCID: hiddenNC, Text: "x"},
	)
	for i, r := range res[:3] {
		wantResult(t, r, int64(i+1), api.PushRejected, api.CodeNCNotFound)
	}
	wantResult(t, e.push(coop, clientA, api.PushEntry{Seq: 1, Kind: api.KindMessage, NCID: hiddenNC, Text: "x"})[0],
		1, api.PushRejected, api.CodeNCNotFound)
	after := e.nc(coop, ncOpen)
	if after.Revision != before.Revision || after.Stage != before.Stage || len(e.messages(coop, ncOpen)) != msgs {
		t.Fatalf("coop NC changed by the estate: %+v", after)
	}
	if got := len(e.allChanges(coop, 2000)); got != coopLog {
		t.Fatalf("coop change log grew from %d to %d", coopLog, got)
	}
}

func TestPushBadRequests(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	msg := func(seq int64) api.PushEntry {
		return api.PushEntry{Seq: seq, Kind: api.KindMessage, NCID: ncOpen, Text: "x"}
	}
	many := make([]api.PushEntry, api.MaxPushEntries+1)
	for i := range many {
		many[i] = msg(int64(i + 1))
	}
	cases := []struct {
		name string
		req  api.PushRequest
	}{
		// Client ids
		{"empty client id", api.PushRequest{Entries: []api.PushEntry{msg(1)}}},
		{"short client id", api.PushRequest{ClientID: "abc", Entries: []api.PushEntry{msg(1)}}},
		{"client id with a slash", api.PushRequest{ClientID: "client/0123456789abc", Entries: []api.PushEntry{msg(1)}}},
		{"client id too long", api.PushRequest{ClientID: strings.Repeat("a", 65), Entries: []api.PushEntry{msg(1)}}},
		// Sequences
		{"decreasing seqs", api.PushRequest{ClientID: clientA, Entries: []api.PushEntry{msg(2), msg(1)}}},
		{"repeated seq", api.PushRequest{ClientID: clientA, Entries: []api.PushEntry{msg(1), msg(1)}}},
		{"zero seq", api.PushRequest{ClientID: clientA, Entries: []api.PushEntry{msg(0)}}},
		{"negative seq", api.PushRequest{ClientID: clientA, Entries: []api.PushEntry{msg(-3)}}},
		// Size
		{"too many entries", api.PushRequest{ClientID: clientA, Entries: many}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, e.do("POST", "/push", coop, tc.req), 400, api.CodeBadRequest)
		})
	}
	t.Run("unknown field", func(t *testing.T) {
		body := `{"client_id":"` + clientA + `","entries":[{"seq":1,"kind":"message","nc_id":"` + ncOpen + `","text":"x","colour":"red"}]}`
		wantError(t, e.doRaw("POST", "/push", coop, []byte(body)), 400, api.CodeBadRequest)
	})
	t.Run("roles", func(t *testing.T) {
		req := api.PushRequest{ClientID: clientA, Entries: []api.PushEntry{msg(1)}}
		wantError(t, e.do("POST", "/push", e.token("analyst"), req), 403, api.CodeForbidden)
		wantError(t, e.do("POST", "/push", "", req), 401, api.CodeUnauthorized)
	})
	// Nothing of the refused requests was applied: seq 1 is still free.
	wantResult(t, e.push(coop, clientA, msg(1))[0], 1, api.PushApplied, "")

	// Bad entries are rejected one by one; the request goes on.
	res := e.push(coop, clientA,
		api.PushEntry{Seq: 2, Kind: "ca.delete", NCID: ncOpen, Text: "x"},
		api.PushEntry{Seq: 3, Kind: api.KindMessage, NCID: ncOpen, Text: strings.Repeat("é", api.MaxTextBytes/2+1)},
		api.PushEntry{Seq: 4, Kind: api.KindCADraft, NCID: ncOpen, Text: " \n\t "},
		api.PushEntry{Seq: 5, Kind: api.KindMessage, NCID: "", Text: "x"},
		msg(6),
	)
	wantResult(t, res[0], 2, api.PushRejected, api.CodeBadEntry)
	wantResult(t, res[1], 3, api.PushRejected, api.CodeTextTooLong)
	wantResult(t, res[2], 4, api.PushRejected, api.CodeEmptyText)
	wantResult(t, res[3], 5, api.PushRejected, api.CodeNCNotFound)
	wantResult(t, res[4], 6, api.PushApplied, "")

	// Invalid UTF-8, as raw bytes and as a lone surrogate escape.
	for i, text := range []string{"caf\xe9", `caf\udce9`, `\ud83d`} {
		seq := itoa(7 + i)
		body := `{"client_id":"` + clientA + `","entries":[{"seq":` + seq + `,"kind":"message","nc_id":"` + ncOpen + `","text":"` + text + `"}]}`
		r := e.doRaw("POST", "/push", coop, []byte(body))
		if r.status != 200 {
			t.Fatalf("%q: %d %s", text, r.status, r.body)
		}
		var pr api.PushResponse
		decode(t, r.body, &pr)
		wantResult(t, pr.Results[0], int64(7+i), api.PushRejected, api.CodeBadEntry)
	}
	// A valid surrogate pair is fine.
	body := `{"client_id":"` + clientA + `","entries":[{"seq":20,"kind":"message","nc_id":"` + ncOpen + `","text":"merci \ud83d\ude00"}]}`
	var pr api.PushResponse
	decode(t, e.doRaw("POST", "/push", coop, []byte(body)).body, &pr)
	wantResult(t, pr.Results[0], 20, api.PushApplied, "")
}
