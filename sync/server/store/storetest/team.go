package storetest

import (
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// testOrgRoles: a client user is a manager unless created as staff; OrgUsers lists one
// organisation's accounts only, by username.
func testOrgRoles(t *testing.T, s store.Store) {
	fixture(t, s, "100", "200")
	if err := s.CreateUser(ctx, store.UserRecord{Username: "staff-100", Name: "Staff", Role: api.RoleClient, OrgID: "100",
		PasswordHash: "hash", OrgRole: api.OrgRoleStaff}); err != nil {
		t.Fatal(err)
	}
	if u, err := s.User(ctx, "user-100"); err != nil || u.OrgRole != api.OrgRoleManager || u.Disabled {
		t.Errorf("User(user-100) = %+v, %v; want a manager, enabled", u, err)
	}
	if u, err := s.User(ctx, "staff-100"); err != nil || u.OrgRole != api.OrgRoleStaff {
		t.Errorf("User(staff-100) = %+v, %v; want staff", u, err)
	}
	if u, err := s.User(ctx, "analyst"); err != nil || u.OrgRole != "" {
		t.Errorf("User(analyst) = %+v, %v; want no role in an organisation", u, err)
	}
	users, err := s.OrgUsers(ctx, "100")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range users {
		names = append(names, u.Username)
	}
	if len(names) != 2 || names[0] != "staff-100" || names[1] != "user-100" {
		t.Errorf("OrgUsers(100) = %v, want [staff-100 user-100]", names)
	}
	if users, err := s.OrgUsers(ctx, "nowhere"); err != nil || len(users) != 0 {
		t.Errorf("OrgUsers(nowhere) = %v, %v; want none", users, err)
	}
}

// testDisableEndsSessions: disabling marks every token of the user revoked (kept, so a
// client can be told why) and deletes its console sessions; enabling does not revive
// them; other users keep theirs.
func testDisableEndsSessions(t *testing.T, s store.Store) {
	fixture(t, s, "100")
	for _, tok := range []store.TokenRecord{
		{Hash: "a1", Kind: store.TokenAccess, Username: "user-100", ExpiresAt: base.Add(1e12), Family: "f1"},
		{Hash: "r1", Kind: store.TokenRefresh, Username: "user-100", ExpiresAt: base.Add(1e12), Family: "f1"},
		{Hash: "a2", Kind: store.TokenAccess, Username: "analyst", ExpiresAt: base.Add(1e12), Family: "f2"},
	} {
		if err := s.PutToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutConsoleSession(ctx, store.ConsoleSession{Hash: "c1", Username: "user-100", CSRF: "x", ExpiresAt: base.Add(1e12)}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserDisabled(ctx, "user-100", true); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.User(ctx, "user-100"); !u.Disabled {
		t.Error("the user is not disabled")
	}
	for _, h := range []string{"a1", "r1"} {
		if tok, err := s.Token(ctx, h); err != nil || tok.Revoked != store.RevokedAccountDisabled {
			t.Errorf("token %s after disable: %+v, %v; want revoked %q", h, tok, err, store.RevokedAccountDisabled)
		}
	}
	if _, err := s.SpendRefreshToken(ctx, "r1", base); err == nil {
		t.Error("a disabled user's refresh token was spent")
	}
	if _, err := s.ConsoleSession(ctx, "c1"); err == nil {
		t.Error("a disabled user's console session survived")
	}
	if tok, err := s.Token(ctx, "a2"); err != nil || tok.Revoked != "" {
		t.Errorf("another user's token after disable: %+v, %v", tok, err)
	}
	if err := s.SetUserDisabled(ctx, "user-100", false); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.User(ctx, "user-100"); u.Disabled {
		t.Error("the user is still disabled")
	}
	if tok, _ := s.Token(ctx, "a1"); tok.Revoked != store.RevokedAccountDisabled {
		t.Errorf("enabling revived a session: %+v", tok)
	}
	wantNotFound(t, "SetUserDisabled(nobody)", s.SetUserDisabled(ctx, "nobody", true))
}
