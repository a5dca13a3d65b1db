package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/datadir"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
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

// running is a server on a data folder, as the command runs it.
type running struct {
	*server.Server
	dir  *datadir.Dir
	stop func() // ends Serve and waits for it
}

// start starts a server on the data folder dir with cfg, whose storage it sets; the
// test's cleanup stops it unless close did.
func start(tb testing.TB, dir string, cfg server.Config) *running {
	tb.Helper()
	d, err := datadir.Open(context.Background(), dir)
	if err != nil {
		tb.Fatal(err)
	}
	cfg.Store, cfg.Blobs, cfg.UploadDir = d.Store, d.Blobs, d.Uploads
	srv, err := server.New(cfg)
	if err != nil {
		d.Close()
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(ctx)
	}()
	r := &running{Server: srv, dir: d, stop: func() { cancel(); <-done }}
	tb.Cleanup(func() { r.close() })
	return r
}

// close stops the server and closes its database. Idempotent.
func (r *running) close() error {
	if r.stop == nil {
		return nil
	}
	r.stop()
	r.stop = nil
	return r.dir.Close()
}

func (r *running) demo() demo.Server {
	return demo.Server{Workflow: r.Workflow(), Auth: r.Auth(), Store: r.dir.Store}
}

// seed writes the demo data (demo.Seed).
func (r *running) seed(ctx context.Context) (bool, error) { return demo.Seed(ctx, r.demo()) }

// generate creates a large organisation (demo.GenerateLarge).
func (r *running) generate(ctx context.Context, o demo.GenerateOptions) error {
	return demo.GenerateLarge(ctx, r.demo(), o)
}

type env struct {
	t     *testing.T
	srv   *running
	http  *httptest.Server
	clock *clock
	dir   string
}

// newEnv starts a server with the demo data on a fresh database.
func newEnv(t *testing.T) *env { return newEnvWith(t, nil) }

// newEnvWith is newEnv with a chance to change the configuration first.
func newEnvWith(t *testing.T, configure func(*server.Config)) *env {
	t.Helper()
	dir := t.TempDir()
	c := &clock{t: time.Date(2019, 6, 10, 9, 0, 0, 0, time.UTC)}
	cfg := server.Config{Now: c.Now}
	if configure != nil {
		configure(&cfg)
	}
	srv := start(t, dir, cfg)
	if _, err := srv.seed(context.Background()); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &env{t: t, srv: srv, http: hs, clock: c, dir: dir}
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request; token may be empty. body is JSON-encoded unless nil.
func (e *env) do(method, path, token string, body any, headers ...string) resp {
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
	res, err := e.http.Client().Do(req)
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
