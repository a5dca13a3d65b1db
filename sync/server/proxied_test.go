package server_test

import (
	"net/http"
	"net/netip"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
)

// Behind a trusted load balancer the login limits key on the client's address, the
// last hop of X-Forwarded-For: clients behind one HAProxy do not share a bucket, and
// a hop the client wrote itself (to the left) changes nothing. From a peer that is
// not trusted the header is ignored.
func TestLoginLimitsBehindTrustedProxy(t *testing.T) {
	old := auth.AddressFailures
	auth.AddressFailures = 3
	t.Cleanup(func() { auth.AddressFailures = old })
	login := func(e *env, c *http.Client, user, password, xff string) int {
		t.Helper()
		return e.doWith(c, "POST", "/auth/login", "", api.LoginRequest{Username: user, Password: password}, "X-Forwarded-For", xff).status
	}
	fail3 := func(e *env, c *http.Client, xff string) {
		t.Helper()
		for _, u := range []string{"nobody1", "nobody2", "nobody3"} {
			if code := login(e, c, u, "wrong", xff); code != http.StatusUnauthorized {
				t.Fatalf("wrong password for %s: %d, want 401", u, code)
			}
		}
	}

	// The test's requests come from 127.0.0.1, the trusted proxy; 127.0.0.2 is not one.
	e := newEnvWith(t, func(cfg *server.Config) {
		cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	})
	proxy, other := e.http.Client(), e.from("127.0.0.2")
	fail3(e, proxy, "203.0.113.7")
	if code := login(e, proxy, "estate", "estate", "203.0.113.7"); code != http.StatusTooManyRequests {
		t.Errorf("right password from the locked-out client: %d, want 429", code)
	}
	if code := login(e, proxy, "estate", "estate", "198.51.100.9, 203.0.113.7"); code != http.StatusTooManyRequests {
		t.Errorf("right password with a hop the client wrote: %d, want 429", code)
	}
	if code := login(e, proxy, "estate", "estate", "198.51.100.9"); code != http.StatusOK {
		t.Errorf("right password from another client behind the proxy: %d, want 200", code)
	}
	// An untrusted peer's header is ignored: it is limited by its own address.
	fail3(e, other, "198.51.100.10")
	if code := login(e, other, "estate", "estate", "198.51.100.11"); code != http.StatusTooManyRequests {
		t.Errorf("untrusted peer choosing another X-Forwarded-For: %d, want 429", code)
	}

	// Without trusted proxies (the default) the header is ignored from anyone.
	plain := newEnv(t)
	fail3(plain, plain.http.Client(), "203.0.113.7")
	if code := login(plain, plain.http.Client(), "estate", "estate", "198.51.100.9"); code != http.StatusTooManyRequests {
		t.Errorf("no trusted proxy, another X-Forwarded-For: %d, want 429", code)
	}
}
