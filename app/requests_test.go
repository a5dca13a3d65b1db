package app_test

import (
	"context"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/requests"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// requestIn finds a request in a list by the server's id, or the first waiting one.
func requestIn(t *testing.T, a *app.App, id string) requests.Request {
	t.Helper()
	l, err := a.Requests.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range l {
		if r.ID == id {
			return r
		}
	}
	return requests.Request{}
}

func contactOf(t *testing.T, a *app.App, id string) api.Contact {
	t.Helper()
	cs, err := a.Store().Portal.Contacts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.ID == id {
			return c
		}
	}
	return api.Contact{}
}

// A contact change is proposed offline on one computer, kept and shown as waiting with
// the value it replaces, sent once when the server is back, shown as pending on both
// computers; the analyst's acceptance replaces the old value on both, and a refusal
// comes back with its reason and a notification.
func TestChangeRequestsConvergeOnTwoReplicas(t *testing.T) {
	a, srv, _, _ := loggedInApp(t)
	b := newApp(t, t.TempDir(), &recorder{})
	if _, err := b.Session.Login(srv.URL, "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	const contact, newMail = "C-3542-02", "samuel.fotso@montvert.example"

	srv.SetDown(true)
	r, err := a.Requests.Propose(api.ChangeProposal{Target: api.TargetContact, Action: api.ActionUpdate, TargetID: contact,
		Fields: map[string]string{"email": newMail, "phone": "+237 699 80 12 33"}, Note: "Nouvelle adresse"})
	if err != nil {
		t.Fatalf("offline proposal: %v", err)
	}
	// Only what differs is asked for; the old value is the replica's.
	if r.State != requests.StateWaiting || len(r.Fields) != 1 || r.Old["email"] != "s.fotso@montvert.example" {
		t.Errorf("the waiting request: %+v", r)
	}
	// Refusals made here, offline, queue nothing.
	for _, c := range []struct {
		p    api.ChangeProposal
		code string
	}{
		{api.ChangeProposal{Target: api.TargetContact, Action: api.ActionUpdate, TargetID: contact, Fields: map[string]string{"email": "samuel@"}}, api.CodeInvalidEmail},
		{api.ChangeProposal{Target: api.TargetContact, Action: api.ActionUpdate, TargetID: contact, Fields: map[string]string{"name": "Samuel Fotso"}}, api.CodeNoChange},
		{api.ChangeProposal{Target: api.TargetContact, Action: api.ActionRemove, TargetID: "C-FLO-0457"}, api.CodeContactNotEditable},
		{api.ChangeProposal{Target: api.TargetContact, Action: api.ActionRemove, TargetID: "C-404"}, api.CodeContactNotFound},
		{api.ChangeProposal{Target: api.TargetOrganisation, Action: api.ActionUpdate, Fields: map[string]string{"phone": "abc"}}, api.CodeInvalidPhone},
	} {
		if _, err := a.Requests.Propose(c.p); app.Code(err) != c.code {
			t.Errorf("%+v: got %v, want %s", c.p, err, c.code)
		}
	}
	if l, _ := a.Requests.List(); len(l) != 1 {
		t.Fatalf("after refusals: %d requests, want the one waiting", len(l))
	}
	org, err := a.Requests.Propose(api.ChangeProposal{Target: api.TargetOrganisation, Action: api.ActionUpdate,
		Fields: map[string]string{"city": "Dschang"}})
	if err != nil || org.State != requests.StateWaiting || org.Old["city"] != "Bafoussam" {
		t.Fatalf("the master-data request: %+v, %v", org, err)
	}

	srv.SetDown(false)
	a.Sync.SyncNow()
	var sent []api.ChangeRequest
	eventually(t, "both requests sent", func() bool {
		l, _ := a.Store().Portal.ChangeRequests(context.Background())
		sent = l
		return len(l) == 2
	})
	a.Sync.SyncNow() // nothing goes twice
	onServer, err := srv.ChangeRequests().List(context.Background(), demo.OrgCoop)
	if err != nil || len(onServer) != 2 {
		t.Fatalf("the server holds %d requests (%v), want 2", len(onServer), err)
	}
	var mailID, cityID string
	for _, cr := range sent {
		if cr.Target == api.TargetContact {
			mailID = cr.ID
		} else {
			cityID = cr.ID
		}
	}
	if got := requestIn(t, a, mailID); got.State != requests.StatePending || got.Old["email"] != "s.fotso@montvert.example" {
		t.Errorf("pending on the first computer: %+v", got)
	}
	b.Sync.SyncNow()
	eventually(t, "the other computer sees both pending", func() bool {
		return requestIn(t, b, mailID).State == requests.StatePending && requestIn(t, b, cityID).State == requests.StatePending
	})

	ctx := context.Background()
	if _, err := srv.ChangeRequests().Accept(ctx, "analyst", demo.OrgCoop, mailID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.ChangeRequests().Refuse(ctx, "analyst", demo.OrgCoop, cityID, "Le siège reste à Bafoussam."); err != nil {
		t.Fatal(err)
	}
	for name, x := range map[string]*app.App{"first": a, "second": b} {
		x.Sync.SyncNow()
		eventually(t, "the decisions on the "+name+" computer", func() bool {
			return requestIn(t, x, mailID).State == requests.StateAccepted && requestIn(t, x, cityID).State == requests.StateRefused
		})
		if c := contactOf(t, x, contact); c.Email != newMail {
			t.Errorf("%s computer: the contact's e-mail is %q, want %q", name, c.Email, newMail)
		}
		if got := requestIn(t, x, cityID); got.Comment != "Le siège reste à Bafoussam." {
			t.Errorf("%s computer: the refusal's reason: %+v", name, got)
		}
		o, err := x.Store().Portal.Organisation(ctx)
		if err != nil || o.City != "Bafoussam" {
			t.Errorf("%s computer: a refused request changed the city: %+v %v", name, o, err)
		}
		// Both decisions are news: a notice each.
		notices, err := x.Store().Portal.Notices(ctx)
		if err != nil || notices[""] != 2 {
			t.Errorf("%s computer: notices %v (%v), want 2 about no NC", name, notices, err)
		}
	}
}

// A request the server refuses as an entry (the contact was removed meanwhile) is
// shown as not sent with its reason, and the queue goes on.
func TestChangeRequestRefusedEntryDoesNotBlock(t *testing.T) {
	a, srv, _, _ := loggedInApp(t)
	srv.SetDown(true)
	if _, err := a.Requests.Propose(api.ChangeProposal{Target: api.TargetContact, Action: api.ActionUpdate, TargetID: "C-3542-03",
		Fields: map[string]string{"role": "Directrice"}}); err != nil {
		t.Fatal(err)
	}
	if err := a.Outbox.GeneralMessage("Bonjour"); err != nil {
		t.Fatal(err)
	}
	// Meanwhile FLOCERT removed the contact (another computer's accepted request).
	cr, err := srv.ChangeRequests().List(context.Background(), demo.OrgCoop)
	if err != nil || len(cr) != 0 {
		t.Fatal(cr, err)
	}
	if err := srv.Store().Write(context.Background(), demo.OrgCoop, []store.EntityWrite{{Entity: api.EntityContact, ID: "C-3542-03", Delete: true}}); err != nil {
		t.Fatal(err)
	}
	srv.SetDown(false)
	a.Sync.SyncNow()
	eventually(t, "the entry answered and the message sent", func() bool {
		l, _ := a.Requests.List()
		g, _ := a.Portal.GeneralThread()
		return len(l) == 1 && l[0].State == requests.StateNotSent && len(g.Messages) == 1
	})
	l, _ := a.Requests.List()
	if l[0].Code != api.CodeContactNotFound {
		t.Errorf("not sent because %q, want contact_not_found", l[0].Code)
	}
	if err := a.Outbox.Dismiss(l[0].Seq); err != nil {
		t.Fatal(err)
	}
	if l, _ := a.Requests.List(); len(l) != 0 {
		t.Errorf("after dismissing: %+v", l)
	}
}
