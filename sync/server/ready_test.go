package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs/s3"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs/s3/s3test"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// probe GETs a path of the server outside the API and returns the status and the
// body's status field.
func (e *env) probe(path string) (int, string) {
	e.t.Helper()
	res, err := http.Get(e.http.URL + path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct{ Status string }
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		e.t.Fatalf("%s: %v", path, err)
	}
	return res.StatusCode, body.Status
}

// The load balancer's probe: ready while the node can serve; 503 once it drains, while
// the clients' /health and the API go on answering the requests that still come.
func TestReadyAndDrain(t *testing.T) {
	e := newEnv(t)
	if code, status := e.probe(server.ReadyPath); code != http.StatusOK || status != "ready" {
		t.Fatalf("readyz: %d %q, want 200 ready", code, status)
	}
	e.srv.Drain()
	if code, status := e.probe(server.ReadyPath); code != http.StatusServiceUnavailable || status != "draining" {
		t.Errorf("readyz while draining: %d %q, want 503 draining", code, status)
	}
	if code, _ := e.probe("/api/v1/health"); code != http.StatusOK {
		t.Errorf("health while draining: %d, want 200", code)
	}
	if r := e.do("GET", "/changes", e.token("coop"), nil); r.status != http.StatusOK {
		t.Errorf("changes while draining: %d %s, want 200", r.status, r.body)
	}
}

// A node whose database is gone is not ready; /health, which only says the process
// answers, still is 200.
func TestReadyWithoutDatabase(t *testing.T) {
	e := newEnv(t)
	e.srv.Store().Close()
	if code, status := e.probe(server.ReadyPath); code != http.StatusServiceUnavailable || status != "database unreachable" {
		t.Errorf("readyz without a database: %d %q, want 503 database unreachable", code, status)
	}
	if code, _ := e.probe("/api/v1/health"); code != http.StatusOK {
		t.Errorf("health without a database: %d, want 200", code)
	}
}

// A node that cannot reach its blob store (a real S3 server behind a proxy that
// resets every connection) is not ready.
func TestReadyWithoutBlobStore(t *testing.T) {
	cfg := s3test.Start(t)
	proxy := servertest.NewProxy(t, cfg.Endpoint)
	cfg.Endpoint = proxy.URL
	c, err := s3.NewClient(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvWith(t, func(cfg *server.Config) { cfg.Blobs = s3.NewStore(c, t.TempDir()) })
	if code, status := e.probe(server.ReadyPath); code != http.StatusOK {
		t.Fatalf("readyz with the blob store: %d %q, want 200", code, status)
	}
	proxy.AddToxic("gone", "reset_peer", "upstream", `"timeout": 0`)
	if code, status := e.probe(server.ReadyPath); code != http.StatusServiceUnavailable || status != "blob store unreachable" {
		t.Errorf("readyz without a blob store: %d %q, want 503 blob store unreachable", code, status)
	}
}
