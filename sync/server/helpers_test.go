package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/release/releasetest"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs/s3"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

func TestMain(m *testing.M) {
	// Cheap hashes: the tests log in often; the production cost is tested by use.
	auth.Argon2Params.Memory = 1024
	auth.Argon2Params.Time = 1
	os.Exit(m.Run())
}

// clock is a settable time source for Config.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type env struct {
	t     *testing.T
	srv   *servertest.Server
	http  *httptest.Server
	clock *clock
	dir   string
	s3    *s3.Config // where the server keeps its files, if not in dir (uploads_s3_test.go)
}

// newEnv starts a server with the demo data on a fresh database.
func newEnv(t *testing.T) *env { return newEnvWith(t, nil) }

// newEnvWith is newEnv with a chance to change the configuration first.
func newEnvWith(t *testing.T, configure func(*server.Config)) *env {
	t.Helper()
	c := &clock{t: time.Date(2019, 6, 10, 9, 0, 0, 0, time.UTC)}
	return newEnvAt(t, t.TempDir(), c, configure)
}

// newEnvAt starts a server on the data folder dir, which may hold a server's data
// already (the demo data is seeded once), with the clock c.
func newEnvAt(t *testing.T, dir string, c *clock, configure func(*server.Config)) *env {
	t.Helper()
	var onS3 func(*server.Config)
	if runOnS3 != nil {
		onS3 = servertest.S3(t, *runOnS3)
	}
	// Every test server publishes a release (test-only key), for the release routes.
	releaseDir := t.TempDir()
	releasetest.Publish(t, releaseDir, testRelease, releasetest.TestOnlyPrivateKey(),
		releasetest.Entry{Platform: "windows-amd64", Name: testReleaseFile, Data: []byte("a windows build")})
	srv := servertest.StartIn(t, dir, func(cfg *server.Config) {
		cfg.Now = c.Now
		cfg.ReleaseDir = releaseDir
		if onS3 != nil {
			onS3(cfg)
		}
		if configure != nil {
			configure(cfg)
		}
	})
	return &env{t: t, srv: srv, http: srv.HTTP, clock: c, dir: dir, s3: runOnS3}
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request; token may be empty. body is JSON-encoded unless nil.
func (e *env) do(method, path, token string, body any, headers ...string) resp {
	e.t.Helper()
	return e.doWith(e.http.Client(), method, path, token, body, headers...)
}

// from returns an HTTP client whose requests come from the loopback address ip
// (127.0.0.2, …): another peer for the server's per-address limits.
func (e *env) from(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
}

// doWith is do with another HTTP client.
func (e *env) doWith(c *http.Client, method, path, token string, body any, headers ...string) resp {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.http.URL+api.Version+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	// Explicit, so the transport does not decompress behind the test's back.
	req.Header.Set("Accept-Encoding", "identity")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

func (e *env) login(user, password string) api.Session {
	e.t.Helper()
	r := e.do("POST", "/auth/login", "", api.LoginRequest{Username: user, Password: password})
	if r.status != http.StatusOK {
		e.t.Fatalf("login %s: status %d %s", user, r.status, r.body)
	}
	var s api.Session
	decode(e.t, r.body, &s)
	return s
}

func (e *env) token(user string) string { return e.login(user, user).AccessToken }

// allChanges walks the change log from the start with the given page size.
func (e *env) allChanges(token string, limit int) []api.Change {
	e.t.Helper()
	var out []api.Change
	cursor := ""
	for range 100000 {
		var p api.ChangesPage
		r := e.do("GET", "/changes?cursor="+cursor+"&limit="+itoa(limit), token, nil)
		if r.status != 200 {
			e.t.Fatalf("changes: %d %s", r.status, r.body)
		}
		decode(e.t, r.body, &p)
		out = append(out, p.Changes...)
		cursor = p.Cursor
		if !p.More {
			return out
		}
	}
	e.t.Fatal("changes never ended")
	return nil
}

func decode(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}

func wantError(t *testing.T, r resp, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status: got %d, want %d (%s)", r.status, status, r.body)
	}
	var e api.Error
	decode(t, r.body, &e)
	if e.Code != code {
		t.Fatalf("code: got %q, want %q", e.Code, code)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
