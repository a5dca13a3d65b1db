package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/httpjson"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

func TestLogin(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name       string
		body       any
		wantStatus int
		wantCode   string
	}{
		// Good credentials.
		{"coop", api.LoginRequest{Username: "coop", Password: "coop"}, 200, ""},
		{"analyst", api.LoginRequest{Username: "analyst", Password: "analyst"}, 200, ""},
		// Bad credentials look the same whether or not the user exists.
		{"wrong password", api.LoginRequest{Username: "coop", Password: "nope"}, 401, api.CodeBadCredentials},
		{"unknown user", api.LoginRequest{Username: "nobody", Password: "x"}, 401, api.CodeBadCredentials},
		// Bad input.
		{"empty", api.LoginRequest{}, 400, api.CodeBadRequest},
		{"unknown field", map[string]string{"username": "coop", "password": "coop", "extra": "1"}, 400, api.CodeBadRequest},
		{"not an object", "coop", 400, api.CodeBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do("POST", "/auth/login", "", tc.body)
			if tc.wantStatus == 200 {
				if r.status != 200 {
					t.Fatalf("got %d %s", r.status, r.body)
				}
				var s api.Session
				decode(t, r.body, &s)
				if s.AccessToken == "" || s.RefreshToken == "" || s.AccessToken == s.RefreshToken {
					t.Fatalf("bad tokens in %+v", s)
				}
				if got, want := s.AccessExpiresAt, e.clock.Now().Add(15*time.Minute); !got.Equal(want) {
					t.Errorf("access expiry: got %v, want %v", got, want)
				}
				return
			}
			wantError(t, r, tc.wantStatus, tc.wantCode)
		})
	}
}

func TestMe(t *testing.T) {
	e := newEnv(t)
	var u api.User
	r := e.do("GET", "/me", e.token("coop"), nil)
	decode(t, r.body, &u)
	if u.Username != "coop" || u.Role != api.RoleClient || u.OrgID != demo.OrgCoop || u.OrgName == "" {
		t.Fatalf("got %+v", u)
	}
	wantError(t, e.do("GET", "/me", "", nil), 401, api.CodeUnauthorized)
	wantError(t, e.do("GET", "/me", "forged", nil), 401, api.CodeUnauthorized)
}

func TestLoginRateLimit(t *testing.T) {
	defer func(d time.Duration, n int) { auth.UserLockDelay, auth.AddressFailures = d, n }(auth.UserLockDelay, auth.AddressFailures)
	auth.UserLockDelay, auth.AddressFailures = 100*time.Millisecond, 3*auth.LoginFailures
	e := newEnv(t)
	login := func(c *http.Client, user, password string) resp {
		return e.doWith(c, "POST", "/auth/login", "", api.LoginRequest{Username: user, Password: password})
	}
	here, there, elsewhere := e.http.Client(), e.from("127.0.0.2"), e.from("127.0.0.3")
	for range auth.LoginFailures {
		wantError(t, login(here, "coop", "bad"), 401, api.CodeBadCredentials)
	}
	// Now even the right password is refused from this address for a while, and the
	// answer says when to come back…
	r := login(here, "coop", "coop")
	wantError(t, r, 429, api.CodeRateLimited)
	if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 || s > int(auth.LoginWindow/time.Second) {
		t.Errorf("Retry-After of a refused login: %q", r.header.Get("Retry-After"))
	}
	// …but other users behind the same address are not locked out by it…
	e.login("estate", "estate")
	// …and from another address the right password passes the user's lock after the
	// lock's delay: a stranger who knows the name cannot lock its owner out.
	start := time.Now()
	if r := login(there, "coop", "coop"); r.status != 200 {
		t.Fatalf("right password from another address: %d %s", r.status, r.body)
	}
	if d := time.Since(start); d < auth.UserLockDelay {
		t.Errorf("a locked user's login took %v, want at least the lock's delay %v", d, auth.UserLockDelay)
	}
	wantError(t, login(there, "coop", "bad"), 401, api.CodeBadCredentials)

	// An address that fails often enough, whatever the names, is refused for everyone.
	for i := range auth.AddressFailures {
		wantError(t, login(elsewhere, "nobody"+itoa(i/auth.LoginFailures), "bad"), 401, api.CodeBadCredentials)
	}
	wantError(t, login(elsewhere, "estate", "estate"), 429, api.CodeRateLimited)
	e.login("estate", "estate") // the other addresses are not

	// After the window the user can log in again from the first address.
	e.clock.Add(auth.LoginWindow + time.Second)
	e.login("coop", "coop")
}

func TestTokenExpiryAndRefresh(t *testing.T) {
	e := newEnv(t)
	s := e.login("coop", "coop")
	if r := e.do("GET", "/me", s.AccessToken, nil); r.status != 200 {
		t.Fatalf("fresh token: %d", r.status)
	}
	e.clock.Add(15*time.Minute + time.Second)
	wantError(t, e.do("GET", "/me", s.AccessToken, nil), 401, api.CodeTokenExpired)

	r := e.do("POST", "/auth/refresh", "", api.RefreshRequest{RefreshToken: s.RefreshToken})
	if r.status != 200 {
		t.Fatalf("refresh: %d %s", r.status, r.body)
	}
	var s2 api.Session
	decode(t, r.body, &s2)
	if r := e.do("GET", "/me", s2.AccessToken, nil); r.status != 200 {
		t.Fatalf("refreshed token: %d %s", r.status, r.body)
	}
	// The old refresh token is spent.
	wantError(t, e.do("POST", "/auth/refresh", "", api.RefreshRequest{RefreshToken: s.RefreshToken}), 401, api.CodeUnauthorized)
	// An access token is not a refresh token, and the reverse.
	wantError(t, e.do("POST", "/auth/refresh", "", api.RefreshRequest{RefreshToken: s2.AccessToken}), 401, api.CodeUnauthorized)
	wantError(t, e.do("GET", "/me", s2.RefreshToken, nil), 401, api.CodeUnauthorized)
	// Refresh tokens expire too.
	e.clock.Add(31 * 24 * time.Hour)
	wantError(t, e.do("POST", "/auth/refresh", "", api.RefreshRequest{RefreshToken: s2.RefreshToken}), 401, api.CodeUnauthorized)
}

func TestLogout(t *testing.T) {
	e := newEnv(t)
	s := e.login("coop", "coop")
	r := e.do("POST", "/auth/logout", s.AccessToken, api.RefreshRequest{RefreshToken: s.RefreshToken})
	if r.status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", r.status, r.body)
	}
	wantError(t, e.do("GET", "/me", s.AccessToken, nil), 401, api.CodeUnauthorized)
	wantError(t, e.do("POST", "/auth/refresh", "", api.RefreshRequest{RefreshToken: s.RefreshToken}), 401, api.CodeUnauthorized)
}

func TestSecurityHeadersAndErrors(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/health", "/me", "/no-such-route"} {
		r := e.do("GET", path, "", nil)
		if got := r.header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options = %q", path, got)
		}
		if got := r.header.Get("Content-Type"); !strings.HasPrefix(got, "application/json") {
			t.Errorf("%s: Content-Type = %q", path, got)
		}
	}
	wantError(t, e.do("GET", "/no-such-route", "", nil), 404, api.CodeNotFound)
	if r := e.do("GET", "/health", "", nil); string(r.body) != `{"status":"ok"}` {
		t.Errorf("health: %s", r.body)
	}
	big := map[string]string{"username": strings.Repeat("x", int(httpjson.MaxBodyBytes)+10), "password": "x"}
	if r := e.do("POST", "/auth/login", "", big); r.status < 400 || r.status >= 500 {
		t.Errorf("oversized body: %d", r.status)
	}
}

// Two nodes on one database count failed logins together: ten wrong passwords spread
// over them lock the user from that address as ten on one node do, on either node;
// and failures of a user from several addresses over both nodes space its attempts.
func TestLoginLimitsSharedByNodes(t *testing.T) {
	defer func(d time.Duration) { auth.UserLockDelay = d }(auth.UserLockDelay)
	auth.UserLockDelay = 300 * time.Millisecond
	e := newEnv(t)
	if e.srv.Database() == "" {
		t.Skip("nodes share a PostgreSQL database: run with " + servertest.EnvStore + "=postgres (make test-postgres)")
	}
	b := servertest.StartNode(t, e.srv, func(cfg *server.Config) { cfg.Now = e.clock.Now })
	nodes := []string{e.http.URL, b.URL}
	here := http.DefaultClient
	loginFrom := func(c *http.Client, node, user, password string) resp {
		t.Helper()
		body, _ := json.Marshal(api.LoginRequest{Username: user, Password: password})
		res, err := c.Post(node+api.Version+"/auth/login", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		return resp{status: res.StatusCode, header: res.Header, body: data}
	}
	login := func(node, user, password string) resp { t.Helper(); return loginFrom(here, node, user, password) }
	for i := range auth.LoginFailures {
		wantError(t, login(nodes[i%2], "coop", "bad"), 401, api.CodeBadCredentials)
	}
	for i, node := range nodes {
		r := login(node, "coop", "coop")
		wantError(t, r, 429, api.CodeRateLimited)
		if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 || s > int(auth.LoginWindow/time.Second) {
			t.Errorf("node %d: Retry-After of a refused login: %q", i+1, r.header.Get("Retry-After"))
		}
	}
	// The other users behind the address are not locked out, on either node.
	for _, node := range nodes {
		if r := login(node, "estate", "estate"); r.status != 200 {
			t.Fatalf("another user on %s: %d %s", node, r.status, r.body)
		}
	}
	// After the window, either node lets the user in again.
	e.clock.Add(auth.LoginWindow + time.Second)
	if r := login(nodes[1], "coop", "coop"); r.status != 200 {
		t.Fatalf("after the window: %d %s", r.status, r.body)
	}

	// A user's failures from two addresses, half on each node, lock the user: a right
	// password from a third address passes, but only after the lock's delay.
	e.clock.Add(auth.LoginWindow + time.Second)
	for i := range auth.UserFailures {
		wantError(t, loginFrom(e.from("127.0.0."+strconv.Itoa(2+i%2)), nodes[i%2], "estate", "bad"), 401, api.CodeBadCredentials)
	}
	start := time.Now()
	if r := loginFrom(e.from("127.0.0.4"), nodes[0], "estate", "estate"); r.status != 200 {
		t.Fatalf("right password of a locked user: %d %s", r.status, r.body)
	}
	if d := time.Since(start); d < auth.UserLockDelay {
		t.Errorf("a locked user's login took %v, want at least the lock's delay %v", d, auth.UserLockDelay)
	}
}
