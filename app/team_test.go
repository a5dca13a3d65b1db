package app_test

import (
	"context"
	"os"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Roles in the organisation, as the app sees and enforces them, against the real
// server: staff see they cannot send and why; the manager manages staff accounts online.

func TestStaffSeeTheirRoleAndCannotSend(t *testing.T) {
	_, srv, _, _ := loggedInApp(t)
	a := newApp(t, t.TempDir(), &recorder{})
	st, err := a.Session.Login(srv.URL, "coop-staff", "coop-staff")
	if err != nil {
		t.Fatal(err)
	}
	if st.OrgRole != string(api.OrgRoleStaff) {
		t.Errorf("staff login: org_role %q, want staff", st.OrgRole)
	}
	eventually(t, "the staff's first sync", func() bool {
		s := a.Sync.Status()
		return s.LastSync != "" && !s.Syncing
	})
	if _, err := a.CA.Send(); app.Code(err) != api.CodeForbiddenRole {
		t.Errorf("a staff's Send: %v, want forbidden_role", err)
	}
	if _, err := a.Team.Accounts(); app.Code(err) != api.CodeForbiddenRole {
		t.Errorf("a staff's list of accounts: %v, want forbidden_role", err)
	}
	// Staff still draft and mark ready: the manager sends.
	if _, err := a.CA.SaveDraft("NC-167140-2019", "Former les récolteurs au port des gants"); err != nil {
		t.Errorf("a staff's draft: %v", err)
	}
}

func TestManagerManagesStaffFromTheApp(t *testing.T) {
	a, srv, _, _ := loggedInApp(t)
	if st := a.Session.State(); st.OrgRole != string(api.OrgRoleManager) {
		t.Errorf("coop's role: %q, want manager", st.OrgRole)
	}
	created, err := a.Team.AddStaff("awa.field", "Awa Ndiaye")
	if err != nil {
		t.Fatal(err)
	}
	if created.Password == "" || created.Role != "staff" {
		t.Fatalf("created: %+v", created)
	}
	if _, err := a.Team.AddStaff("Awa Ndiaye", "Awa"); app.Code(err) != api.CodeInvalidInput {
		t.Errorf("a username with a space: %v, want invalid_input", err)
	}
	if _, err := a.Team.AddStaff("coop-staff", "Jean"); app.Code(err) != api.CodeUsernameTaken {
		t.Errorf("a taken username: %v, want username_taken", err)
	}
	accounts, err := a.Team.Accounts()
	if err != nil || len(accounts) != 3 {
		t.Fatalf("accounts: %+v, %v", accounts, err)
	}

	// The new person logs in on another computer; disabling ends that session.
	b := newApp(t, t.TempDir(), &recorder{})
	if _, err := b.Session.Login(srv.URL, "awa.field", created.Password); err != nil {
		t.Fatal(err)
	}
	if acc, err := a.Team.Disable("awa.field"); err != nil || !acc.Disabled {
		t.Fatalf("disable: %+v, %v", acc, err)
	}
	b.Sync.SyncNow()
	eventually(t, "the disabled account's session to end", func() bool { return b.Session.State().Ended == api.CodeAccountDisabled })
	if _, err := b.Session.Login(srv.URL, "awa.field", created.Password); app.Code(err) != api.CodeAccountDisabled {
		t.Errorf("a disabled account's login: %v, want account_disabled", err)
	}
	if _, err := a.Team.Enable("awa.field"); err != nil {
		t.Fatal(err)
	}
	reset, err := a.Team.ResetPassword("awa.field")
	if err != nil || reset.Password == "" || reset.Password == created.Password {
		t.Fatalf("reset: %+v, %v", reset, err)
	}
	if _, err := b.Session.Login(srv.URL, "awa.field", reset.Password); err != nil {
		t.Errorf("login with the new password: %v", err)
	}

	// Offline, the page says that it needs the connection.
	srv.Close()
	if _, err := a.Team.Accounts(); app.Code(err) != api.CodeNeedsConnection {
		t.Errorf("accounts offline: %v, want needs_connection", err)
	}
}

// syncOnce waits for the sync under way, then runs a fresh one to its end.
func syncOnce(t *testing.T, a *app.App) {
	t.Helper()
	eventually(t, "the sync under way", func() bool { return !a.Sync.Status().Syncing })
	before := a.Sync.Status().Version
	if err := a.Sync.SyncNow(); err != nil {
		t.Fatal(err)
	}
	eventually(t, "a sync", func() bool {
		s := a.Sync.Status()
		return s.Version > before && !s.Syncing && s.Pending == 0
	})
}

// The done-when test of the team: a manager and two staff of one organisation, each on a
// replica of their own against the real server. Staff draft and attach; the manager
// assigns and sends, exactly once; every author is recorded; a staff's Send is refused
// and said.
func TestTwoStaffAndAManagerWorkOnSeparateReplicas(t *testing.T) {
	manager, srv, _, _ := loggedInApp(t)
	awa, err := manager.Team.AddStaff("awa.field", "Awa Ndiaye")
	if err != nil {
		t.Fatal(err)
	}
	login := func(user, password string) *app.App {
		a := newApp(t, t.TempDir(), &recorder{})
		if _, err := a.Session.Login(srv.URL, user, password); err != nil {
			t.Fatalf("login %s: %v", user, err)
		}
		eventually(t, user+"'s first sync", func() bool { s := a.Sync.Status(); return s.LastSync != "" && !s.Syncing })
		return a
	}
	jean, field := login("coop-staff", "coop-staff"), login("awa.field", awa.Password)
	const caNC, evNC = "NC-167140-2019", "NC-150424-2019"

	// The manager assigns, offline-first: shown at once, then synced to every replica.
	if _, err := manager.Team.Assign(caNC, "coop-staff", "2019-05-24"); err != nil {
		t.Fatal(err)
	}
	if _, err := manager.Team.Assign(evNC, "awa.field", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := jean.Team.Assign(caNC, "coop-staff", ""); app.Code(err) != api.CodeForbiddenRole {
		t.Errorf("a staff's assignment: %v, want forbidden_role", err)
	}
	syncOnce(t, manager)
	syncOnce(t, jean)
	if mine, _ := jean.Team.Mine(); len(mine) != 1 || mine[0] != caNC {
		t.Errorf("Jean's NCs: %v, want [%s]", mine, caNC)
	}
	due, _ := jean.Team.DueThisWeek()
	if len(due) != 1 || due[0].Name != "Jean-Paul Essomba" || due[0].Items[0].AssignedBy != "coop" {
		t.Errorf("due this week: %+v", due)
	}

	// Staff draft and attach; a staff's Send is refused and said.
	const text = "Former les récolteurs au port des gants ; registre signé chaque semaine."
	if _, err := jean.CA.SaveDraft(caNC, text); err != nil {
		t.Fatal(err)
	}
	if _, err := jean.CA.Send(); app.Code(err) != api.CodeForbiddenRole {
		t.Errorf("a staff's Send: %v, want forbidden_role", err)
	}
	file := t.TempDir() + "/registre.pdf"
	if err := os.WriteFile(file, []byte("%PDF-1.4 registre des formations"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := field.Evidence.AddFiles(evNC, []string{file}); err != nil {
		t.Fatal(err)
	}
	syncOnce(t, jean)
	syncOnce(t, field)

	// The manager sees both and sends them, once.
	syncOnce(t, manager)
	d, err := manager.Portal.NC(caNC)
	if err != nil || d.SharedDraft == nil || d.SharedDraft.UpdatedBy != "coop-staff" || d.SharedDraft.Text != text {
		t.Fatalf("the shared draft on the manager's replica: %+v, %v", d.SharedDraft, err)
	}
	if _, err := manager.CA.SetReady(caNC, d.SharedDraft.Text, true); err != nil {
		t.Fatal(err)
	}
	if err := manager.Evidence.SetReady(evNC, true); err != nil {
		t.Fatal(err)
	}
	for range 2 { // a second Send sends nothing again
		if _, err := manager.CA.Send(); err != nil {
			t.Fatal(err)
		}
		syncOnce(t, manager)
	}
	ncs, err := srv.NCs(context.Background(), "3542")
	if err != nil {
		t.Fatal(err)
	}
	for _, nc := range ncs {
		switch nc.ID {
		case caNC:
			if len(nc.CAHistory) != 1 || nc.CAHistory[0].Text != text || nc.CAHistory[0].SubmittedBy == "" || nc.Stage != api.StageCASubmitted {
				t.Errorf("the CA on the server: stage %s, history %+v", nc.Stage, nc.CAHistory)
			}
		case evNC:
			if nc.Stage != api.StageEvidenceSubmitted {
				t.Errorf("the evidence NC on the server: stage %s", nc.Stage)
			}
		}
	}
	ev, err := manager.Portal.NC(evNC)
	if err != nil {
		t.Fatal(err)
	}
	var by []string
	for _, e := range ev.Evidence {
		if e.Evidence.File.Name == "registre.pdf" {
			by = append(by, e.Evidence.AddedBy)
		}
	}
	if len(by) != 1 || by[0] != "awa.field" {
		t.Errorf("the attached file's author on the manager's replica: %v, want [awa.field]", by)
	}
}
