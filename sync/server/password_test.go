package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
)

func TestPasswordChangeEndsTheOtherSessions(t *testing.T) {
	e := newEnv(t)
	here, there := e.login("coop", "coop"), e.login("coop", "coop")
	estate := e.login("estate", "estate")
	const next = "Thé vert de Dschang 2026"

	if r := e.do("POST", "/auth/password", here.AccessToken, api.PasswordRequest{Current: "coop", New: next}); r.status != http.StatusNoContent {
		t.Fatalf("change: got %d %s", r.status, r.body)
	}
	// This session goes on, its refresh too.
	if r := e.do("GET", "/me", here.AccessToken, nil); r.status != http.StatusOK {
		t.Errorf("the caller's session: got %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/auth/refresh", "", api.RefreshRequest{RefreshToken: here.RefreshToken}); r.status != http.StatusOK {
		t.Errorf("the caller's refresh: got %d %s", r.status, r.body)
	}
	// The other computer is told why it must log in again, on a request and on a refresh.
	wantError(t, e.do("GET", "/changes", there.AccessToken, nil), 401, api.CodePasswordChanged)
	wantError(t, e.do("POST", "/auth/refresh", "", api.RefreshRequest{RefreshToken: there.RefreshToken}), 401, api.CodePasswordChanged)
	// Another user is untouched.
	if r := e.do("GET", "/me", estate.AccessToken, nil); r.status != http.StatusOK {
		t.Errorf("another user's session: got %d %s", r.status, r.body)
	}
	// The old password no longer logs in; the new one does.
	wantError(t, e.do("POST", "/auth/login", "", api.LoginRequest{Username: "coop", Password: "coop"}), 401, api.CodeBadCredentials)
	e.login("coop", next)
}

func TestPasswordRules(t *testing.T) {
	e := newEnv(t)
	tok := e.token("coop")
	for _, c := range []struct {
		name, current, next, code string
	}{
		// The current password is checked first.
		{"wrong current", "not coop", "a long enough phrase", api.CodeWrongPassword},
		// Then the rules, each with its code.
		{"too short", "coop", "short1", api.CodePasswordTooShort},
		{"nine characters", "coop", "ninechars", api.CodePasswordTooShort},
		{"the user name", "coop", "COOP-COOP-COOP", api.CodePasswordIsUsername},
		{"common", "coop", "motdepasse123", api.CodePasswordCommon},
		{"common, any case, digits after", "coop", "Password2024!", api.CodePasswordCommon},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantError(t, e.do("POST", "/auth/password", tok, api.PasswordRequest{Current: c.current, New: c.next}), 400, c.code)
		})
	}
	// Nothing changed: the old password still logs in, the session still works.
	e.login("coop", "coop")
	if r := e.do("GET", "/me", tok, nil); r.status != http.StatusOK {
		t.Errorf("session after refusals: got %d", r.status)
	}
}

func TestPasswordWrongCurrentIsRateLimited(t *testing.T) {
	e := newEnv(t)
	tok := e.token("coop")
	for range auth.LoginFailures {
		wantError(t, e.do("POST", "/auth/password", tok, api.PasswordRequest{Current: "guess", New: "a long enough phrase"}), 400, api.CodeWrongPassword)
	}
	r := e.do("POST", "/auth/password", tok, api.PasswordRequest{Current: "coop", New: "a long enough phrase"})
	wantError(t, r, 429, api.CodeRateLimited)
	if r.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
}

func TestConsolePasswordChange(t *testing.T) {
	e := newEnv(t)
	here, there := e.browser(), e.browser()
	wantStatus(t, here.login("analyst"), http.StatusSeeOther)
	wantStatus(t, there.login("analyst"), http.StatusSeeOther)
	form := here.get("/console/password")
	wantStatus(t, form, http.StatusOK)
	const next = "Analyse des preuves 2026"

	// A refusal says why, in the page.
	p := here.post("/console/password", url.Values{"csrf": {csrfOf(t, form)}, "current": {"analyst"}, "new": {"short"}, "confirm": {"short"}})
	wantStatus(t, p, http.StatusBadRequest)
	if !strings.Contains(errorOf(p), "too short") {
		t.Errorf("too short: got error %q", errorOf(p))
	}

	p = here.post("/console/password", url.Values{"csrf": {csrfOf(t, form)}, "current": {"analyst"}, "new": {next}, "confirm": {next}})
	wantStatus(t, p, http.StatusSeeOther)
	// This session goes on; the other console session ends.
	wantStatus(t, here.get("/console/orgs"), http.StatusOK)
	if got := there.get("/console/orgs"); got.status != http.StatusSeeOther || !strings.HasPrefix(got.location, "/console/login") {
		t.Errorf("the other console session: got %d %q, want a redirect to the login", got.status, got.location)
	}
	wantError(t, e.do("POST", "/auth/login", "", api.LoginRequest{Username: "analyst", Password: "analyst"}), 401, api.CodeBadCredentials)
	e.login("analyst", next)
}
