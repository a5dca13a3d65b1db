package app_test

import (
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/store"
)

// The person a manager makes responsible for an NC hears of it on their own computer,
// once: the sync that brings the assignment announces it, the next says nothing, and a
// moved due date is said again. The manager, and whoever logs in after, hear nothing.
func TestTheAssignedPersonHearsOfItOnce(t *testing.T) {
	manager, srv, managerNotes, _ := loggedInApp(t)
	notes := &recorder{}
	staff := newApp(t, t.TempDir(), notes)
	if _, err := staff.Session.Login(srv.URL, "coop-staff", "coop-staff"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the staff's first sync", func() bool { s := staff.Sync.Status(); return s.LastSync != "" && !s.Syncing })
	const nc = "NC-167140-2019"

	if _, err := manager.Team.Assign(nc, "coop-staff", "2019-05-24"); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, manager)
	syncOnce(t, staff)
	eventually(t, "the assignment announced", func() bool { return len(notes.notices(store.NoticeAssigned)) > 0 })
	want := app.Notice{NCID: nc, Kind: store.NoticeAssigned, Stage: "2019-05-24"}
	if got := notes.notices(store.NoticeAssigned); len(got) != 1 || got[0] != want {
		t.Fatalf("notices after the assignment: %+v, want [%+v]", got, want)
	}

	// A second sync brings nothing new: nothing said.
	syncOnce(t, staff)
	if got := notes.notices(store.NoticeAssigned); len(got) != 1 {
		t.Errorf("notices after a second sync: %+v, want the one", got)
	}

	// The due date moves: said again, with the new date. Someone else's: not said.
	if _, err := manager.Team.Assign(nc, "coop-staff", "2019-05-31"); err != nil {
		t.Fatal(err)
	}
	if _, err := manager.Team.Assign("NC-150424-2019", "coop", "2019-05-31"); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, manager)
	syncOnce(t, staff)
	eventually(t, "the new date announced", func() bool { return len(notes.notices(store.NoticeAssigned)) > 1 })
	if got := notes.notices(store.NoticeAssigned); len(got) != 2 || got[1].Stage != "2019-05-31" || got[1].NCID != nc {
		t.Errorf("notices after the date moved: %+v", got)
	}

	// The manager assigned: nothing to tell them, even of the NC they gave themselves.
	if got := managerNotes.notices(store.NoticeAssigned); len(got) != 0 {
		t.Errorf("the manager's notices: %+v, want none", got)
	}
	// A computer logging in later pulls the assignment as the past: no notice.
	laterNotes := &recorder{}
	later := newApp(t, t.TempDir(), laterNotes)
	if _, err := later.Session.Login(srv.URL, "coop-staff", "coop-staff"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the later first sync", func() bool { s := later.Sync.Status(); return s.LastSync != "" && !s.Syncing })
	syncOnce(t, later)
	if got := laterNotes.notices(store.NoticeAssigned); len(got) != 0 {
		t.Errorf("a first sync's notices: %+v, want none", got)
	}
}
