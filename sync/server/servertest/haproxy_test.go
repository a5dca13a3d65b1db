package servertest_test

import (
	"net/http"
	"os/exec"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// The configuration an operator copies is valid for Debian's haproxy as it is.
func TestHAProxyOperatorConfigIsValid(t *testing.T) {
	bin := servertest.HAProxyBin()
	if bin == "" {
		t.Skip("haproxy is not installed")
	}
	if out, err := exec.Command(bin, "-c", "-f", servertest.HAProxyConfig()).CombinedOutput(); err != nil {
		t.Fatalf("haproxy -c %s: %v\n%s", servertest.HAProxyConfig(), err, out)
	}
}

// The test set-up's rewrite refuses a configuration it cannot adapt.
func TestHAProxyConfigForNeedsBindAndServers(t *testing.T) {
	for _, cfg := range []string{
		"frontend f\n    default_backend b\nbackend b\n    server n 1.2.3.4:1\n",
		"frontend f\n    bind :80\nbackend b\n    balance roundrobin\n",
	} {
		if _, err := servertest.HAProxyConfigFor([]byte(cfg), "127.0.0.1:1", []string{"127.0.0.1:2"}); err == nil {
			t.Errorf("no error for\n%s", cfg)
		}
	}
}

// HAProxy with the operator's configuration spreads requests over the nodes, and a
// node that stops costs the clients nothing: the connection it refuses is retried on
// another node, and the health check takes it out.
func TestHAProxySpreadsAndSkipsAStoppedNode(t *testing.T) {
	a, b := servertest.Start(t), servertest.Start(t)
	lb := servertest.HAProxy(t, a.URL, b.URL)
	get := func() int {
		t.Helper()
		res, err := http.Get(lb.URL + "/api/v1/health")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	ra, rb := a.Requests.Load(), b.Requests.Load()
	for range 10 {
		if code := get(); code != http.StatusOK {
			t.Fatalf("health through haproxy: %d", code)
		}
	}
	if a.Requests.Load() == ra || b.Requests.Load() == rb {
		t.Errorf("requests reached node a %d and node b %d times: want both", a.Requests.Load()-ra, b.Requests.Load()-rb)
	}
	b.Close()
	for i := range 20 {
		if code := get(); code != http.StatusOK {
			t.Fatalf("request %d after node b stopped: %d", i, code)
		}
	}
}
