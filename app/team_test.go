package app_test

import (
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
