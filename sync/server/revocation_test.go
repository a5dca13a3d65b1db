package server_test

import (
	"database/sql"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/datadir"
)

// Token revocation: a refresh ends the access token issued with the refresh token it
// spends; a spent refresh token used again revokes its whole session (reuse detection);
// a logout revokes the session's tokens, both kinds.

func (e *env) refresh(refreshToken string) (api.Session, resp) {
	e.t.Helper()
	r := e.do("POST", "/auth/refresh", "", api.RefreshRequest{RefreshToken: refreshToken})
	var s api.Session
	if r.status == http.StatusOK {
		decode(e.t, r.body, &s)
	}
	return s, r
}

// works reports whether an access token is accepted on a client route.
func (e *env) works(token string) bool {
	e.t.Helper()
	return e.do("GET", "/changes?limit=1", token, nil).status == http.StatusOK
}

func TestRefreshEndsTheAccessTokenIssuedWithIt(t *testing.T) {
	e := newEnv(t)
	first := e.login("coop", "coop")
	e.clock.Add(time.Minute) // well within the access token's 15 minutes
	second, r := e.refresh(first.RefreshToken)
	if r.status != http.StatusOK {
		t.Fatalf("refresh: %d %s", r.status, r.body)
	}
	// The old access token stops at once. It is told token_expired, not unauthorized:
	// a request of the same client still carrying it (sent while the client was
	// refreshing) must lead the client to its new token, not to the login screen.
	wantError(t, e.do("GET", "/changes", first.AccessToken, nil), http.StatusUnauthorized, api.CodeTokenExpired)
	wantError(t, e.do("GET", "/me", first.AccessToken, nil), http.StatusUnauthorized, api.CodeTokenExpired)
	if !e.works(second.AccessToken) {
		t.Fatal("the new access token does not work")
	}
	// The new pair refreshes in turn, ending the second access token.
	third, r := e.refresh(second.RefreshToken)
	if r.status != http.StatusOK {
		t.Fatalf("second refresh: %d %s", r.status, r.body)
	}
	if e.works(second.AccessToken) || !e.works(third.AccessToken) {
		t.Error("after the second refresh: the second access token works, or the third does not")
	}
	// Another session of the same user is not touched.
	other := e.login("coop", "coop")
	if _, r := e.refresh(third.RefreshToken); r.status != http.StatusOK || !e.works(other.AccessToken) {
		t.Errorf("another session after a refresh: %d, works %v", r.status, e.works(other.AccessToken))
	}
}

func TestReplayedRefreshTokenRevokesTheSession(t *testing.T) {
	e := newEnv(t)
	first := e.login("coop", "coop")
	other := e.login("coop", "coop") // another computer of the same user
	second, r := e.refresh(first.RefreshToken)
	if r.status != http.StatusOK {
		t.Fatalf("refresh: %d %s", r.status, r.body)
	}
	// The spent token again — a thief's copy, or a replay: refused, and the session it
	// belongs to is revoked, the pair issued by the legitimate refresh included.
	_, r = e.refresh(first.RefreshToken)
	wantError(t, r, http.StatusUnauthorized, api.CodeUnauthorized)
	wantError(t, e.do("GET", "/changes", second.AccessToken, nil), http.StatusUnauthorized, api.CodeUnauthorized)
	_, r = e.refresh(second.RefreshToken)
	wantError(t, r, http.StatusUnauthorized, api.CodeUnauthorized)
	// A third use is as refused (nothing is left of the session).
	_, r = e.refresh(first.RefreshToken)
	wantError(t, r, http.StatusUnauthorized, api.CodeUnauthorized)
	// The other session is the user's too, but not this one: it goes on.
	if !e.works(other.AccessToken) {
		t.Error("the user's other session was revoked")
	}
	if _, r := e.refresh(other.RefreshToken); r.status != http.StatusOK {
		t.Errorf("the other session's refresh: %d %s", r.status, r.body)
	}
}

func TestRefreshWithAnAccessTokenChangesNothing(t *testing.T) {
	e := newEnv(t)
	s := e.login("coop", "coop")
	_, r := e.refresh(s.AccessToken)
	wantError(t, r, http.StatusUnauthorized, api.CodeUnauthorized)
	if !e.works(s.AccessToken) {
		t.Error("an access token sent to /auth/refresh was revoked")
	}
	if _, r := e.refresh(s.RefreshToken); r.status != http.StatusOK {
		t.Errorf("refresh after: %d %s", r.status, r.body)
	}
}

func TestLogoutRevokesTheSession(t *testing.T) {
	e := newEnv(t)
	// Without a body: the access token's session goes, its refresh token too.
	s := e.login("coop", "coop")
	other := e.login("coop", "coop")
	if r := e.do("POST", "/auth/logout", s.AccessToken, nil); r.status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", r.status, r.body)
	}
	wantError(t, e.do("GET", "/me", s.AccessToken, nil), http.StatusUnauthorized, api.CodeUnauthorized)
	_, r := e.refresh(s.RefreshToken)
	wantError(t, r, http.StatusUnauthorized, api.CodeUnauthorized)
	if !e.works(other.AccessToken) {
		t.Fatal("logging out one session revoked another")
	}

	// After refreshes: the current pair goes, and the spent tokens stay refused.
	a := e.login("coop", "coop")
	b, _ := e.refresh(a.RefreshToken)
	if r := e.do("POST", "/auth/logout", b.AccessToken, api.RefreshRequest{RefreshToken: b.RefreshToken}); r.status != http.StatusNoContent {
		t.Fatalf("logout after a refresh: %d %s", r.status, r.body)
	}
	for name, tok := range map[string]string{"a's refresh token": a.RefreshToken, "b's refresh token": b.RefreshToken} {
		if _, r := e.refresh(tok); r.status != http.StatusUnauthorized {
			t.Errorf("%s after logout: %d", name, r.status)
		}
	}
	wantError(t, e.do("GET", "/me", b.AccessToken, nil), http.StatusUnauthorized, api.CodeUnauthorized)

	// A refresh token of another session of the same user is revoked too; another
	// user's is not.
	estate := e.login("estate", "estate")
	if r := e.do("POST", "/auth/logout", other.AccessToken, api.RefreshRequest{RefreshToken: estate.RefreshToken}); r.status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", r.status, r.body)
	}
	if !e.works(estate.AccessToken) {
		t.Error("another user's session was revoked by a logout")
	}
	c, d := e.login("coop", "coop"), e.login("coop", "coop")
	if r := e.do("POST", "/auth/logout", c.AccessToken, api.RefreshRequest{RefreshToken: d.RefreshToken}); r.status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", r.status, r.body)
	}
	if _, r := e.refresh(d.RefreshToken); r.status != http.StatusUnauthorized || e.works(d.AccessToken) {
		t.Errorf("the session of the refresh token given to logout: refresh %d, access works %v", r.status, e.works(d.AccessToken))
	}
}

// TestTokensSurviveTheFamilyMigration: tokens issued before token families (schema 3)
// still work after the upgrade, each its own family.
func TestTokensSurviveTheFamilyMigration(t *testing.T) {
	e := newEnv(t)
	s := e.login("coop", "coop")
	e.srv.Close()
	// Take the database back to schema 3.
	db, err := sql.Open("sqlite3", filepath.Join(e.dir, datadir.DatabaseFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`ALTER TABLE tokens DROP COLUMN revoked`, `DROP INDEX tokens_family`, `ALTER TABLE tokens DROP COLUMN family`,
		`ALTER TABLE tokens DROP COLUMN spent_at`,
		`DROP TABLE crash_reports`, `DROP TABLE operators`, `DROP TABLE directory_seq`, // the later migrations' tables, made again by the upgrade
		`DROP TABLE login_failures`, `DROP TABLE login_slots`, `DROP TABLE trail_entries`, `DROP TABLE trail_heads`, `DROP TABLE calendar_feeds`,
		`DROP INDEX users_org`, `ALTER TABLE users DROP COLUMN org_role`, `ALTER TABLE users DROP COLUMN disabled`, // migration 10's
		`DELETE FROM schema_migrations WHERE version >= 4`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	e2 := newEnvAt(t, e.dir, e.clock, nil)
	if !e2.works(s.AccessToken) {
		t.Fatal("an access token of schema 3 does not work after the upgrade")
	}
	s2, r := e2.refresh(s.RefreshToken)
	if r.status != http.StatusOK || !e2.works(s2.AccessToken) {
		t.Fatalf("refresh with a token of schema 3: %d %s", r.status, r.body)
	}
	if _, r := e2.refresh(s.RefreshToken); r.status != http.StatusUnauthorized || e2.works(s2.AccessToken) {
		t.Errorf("replay of a schema-3 refresh token: %d, new session works %v", r.status, e2.works(s2.AccessToken))
	}
}
