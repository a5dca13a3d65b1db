package app_test

import "testing"

// Another organisation logging in to the same data folder starts a trail of its own:
// its server's chain takes this replica's entries from the first, and audit verify
// passes. (With the old trail kept, the new chain would refuse it: trail_broken.)
func TestAnotherOrganisationStartsItsOwnTrail(t *testing.T) {
	a, srv, _, _ := loggedInApp(t)
	if err := a.Outbox.Message("NC-167140-2019", "Bonjour, le registre suit."); err != nil {
		t.Fatal(err)
	}
	if err := a.Outbox.GeneralMessage("Merci pour la visite."); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, a)
	if rep, err := a.Audit.Verify(); err != nil || !rep.OK || rep.Sent != 2 {
		t.Fatalf("the first organisation's trail: %+v, %v", rep, err)
	}

	if err := a.Session.Logout(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Session.Login(srv.URL, "estate", "estate"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the estate's first sync", func() bool { s := a.Sync.Status(); return s.LastSync != "" && !s.Syncing })
	if err := a.Outbox.Message("NC-171521-2019", "Good morning, the records follow."); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, a)
	rep, err := a.Audit.Verify()
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK || rep.Refused != "" || rep.Entries != 1 || rep.Sent != 1 || rep.Organisation != 1 {
		t.Errorf("the estate's trail: %+v, want one entry, held by its server", rep)
	}
}
