package app_test

import (
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// A password changed on one computer ends the login of the user's others at their next
// sync, saying why; the computer that changed it goes on syncing.
func TestPasswordChangeLogsOutTheOtherComputer(t *testing.T) {
	a, srv, _, _ := loggedInApp(t)
	pb := &recorder{}
	b := newApp(t, t.TempDir(), pb)
	if _, err := b.Session.Login(srv.URL, "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "b's first sync", func() bool { return b.Sync.Status().LastSync != "" })

	if err := a.Session.ChangePassword("coop", "Café du Mont Vert 2026"); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	if err := b.Sync.SyncNow(); err != nil {
		t.Fatal(err)
	}
	eventually(t, "b told that the password changed", func() bool {
		return b.Session.State().Ended == api.CodePasswordChanged
	})
	if st := b.Session.State(); st.LoggedIn {
		t.Errorf("b still logged in: %+v", st)
	}
	if got := b.Sync.Status().LastError; got != api.CodePasswordChanged {
		t.Errorf("b's status error: got %q, want password_changed", got)
	}
	if !pb.saw(app.EventSessionExpired) {
		t.Errorf("b's UI was not told: %v", pb.events)
	}
	// b logs in again with the new password and syncs.
	if _, err := b.Session.Login(srv.URL, "coop", "coop"); app.Code(err) != api.CodeBadCredentials {
		t.Errorf("b with the old password: got %v, want bad_credentials", err)
	}
	if st, err := b.Session.Login(srv.URL, "coop", "Café du Mont Vert 2026"); err != nil || !st.LoggedIn || st.Ended != "" {
		t.Errorf("b with the new password: %+v, %v", st, err)
	}

	// a goes on: a sync still works.
	before := a.Sync.Status().Version
	a.Sync.SyncNow()
	eventually(t, "a's next sync", func() bool {
		s := a.Sync.Status()
		return s.Version > before+1 && !s.Syncing
	})
	if s := a.Sync.Status(); s.LastError != "" || !a.Session.State().LoggedIn {
		t.Errorf("a after its own change: error %q, logged in %v", s.LastError, a.Session.State().LoggedIn)
	}
}

func TestPasswordChangeRefusalsSayWhy(t *testing.T) {
	a, _, _, _ := loggedInApp(t)
	for _, c := range []struct {
		name, current, next, code string
	}{
		{"empty", "", "", api.CodeInvalidInput},
		{"wrong current", "guess", "a long new phrase", api.CodeWrongPassword},
		{"too short", "coop", "short", api.CodePasswordTooShort},
		{"the user name", "coop", "coop-coop-coop", api.CodePasswordIsUsername},
		{"common", "coop", "azerty123456", api.CodePasswordCommon},
	} {
		if err := a.Session.ChangePassword(c.current, c.next); app.Code(err) != c.code {
			t.Errorf("%s: got %v, want %s", c.name, err, c.code)
		}
	}
}

// Offline, a password change is refused at once (needs_connection) and nothing is
// queued for later.
func TestPasswordChangeNeedsTheServer(t *testing.T) {
	a, srv, _, _ := loggedInApp(t)
	srv.Close()
	if err := a.Session.ChangePassword("coop", "a long new phrase"); app.Code(err) != api.CodeNeedsConnection {
		t.Fatalf("offline: got %v, want needs_connection", err)
	}
	if n := a.Sync.Status().Pending; n != 0 {
		t.Errorf("pending after an offline change: %d, want 0", n)
	}
}
