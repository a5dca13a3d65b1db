package servertest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/datadir"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store/postgres"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store/postgres/pgtest"
	"github.com/ecert-desktop/ecert-desktop/sync/server/uploads/pglock"
)

// EnvStore set to "postgres" makes every test server keep its data in PostgreSQL
// (package pgtest: one database per data folder) instead of the folder's SQLite file,
// so that a package's tests run against the PostgreSQL store.
const EnvStore = "ECERT_TEST_STORE"

// Server is a running ecert-server with the demo data, on SQLite (or PostgreSQL, see
// EnvStore) and a blob folder in DataDir (package datadir).
type Server struct {
	*server.Server
	HTTP    *httptest.Server
	URL     string
	Clock   *Clock
	DataDir string
	// Requests counts the HTTP requests served.
	Requests atomic.Int64
	// Bytes counts the response body bytes written (as sent: compressed if it was).
	Bytes atomic.Int64
	// Received counts the request body bytes the server read (uploads included).
	Received atomic.Int64

	cfg      server.Config
	dir      *datadir.Dir
	database string         // PostgreSQL address (EnvStore), or empty for SQLite
	store    store.Store    // dir.Store, or the PostgreSQL store
	locker   *pglock.Locker // with the PostgreSQL store: its upload locker, as the nodes of a deployment share
	stop     func()         // ends the server's Serve and waits for it
	mu       sync.Mutex
	down     bool
	// serving is held (read) by every request and (write) by Restart, so a restart
	// swaps the server between requests.
	serving sync.RWMutex
	handler http.Handler
}

// Clock is a settable clock; it starts at the real time.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Start starts a server with the demo data; it stops when the test ends.
func Start(t testing.TB) *Server { return StartWith(t, nil) }

// StartWith is Start with a chance to change the server's configuration first.
func StartWith(t testing.TB, configure func(*server.Config)) *Server {
	t.Helper()
	return StartIn(t, t.TempDir(), configure)
}

// StartIn is StartWith on the data folder dir, which may hold a server's data
// already (the demo data is seeded only once).
func StartIn(t testing.TB, dir string, configure func(*server.Config)) *Server {
	t.Helper()
	database := ""
	if os.Getenv(EnvStore) == "postgres" {
		database = pgtest.DatabaseFor(t, dir)
	}
	return startOn(t, dir, database, configure)
}

// StartNode starts another node of of's deployment: a server in a data folder of its
// own (for its uploads in progress) on of's PostgreSQL database, as the nodes behind a
// load balancer are. of must keep its data in PostgreSQL (EnvStore).
func StartNode(t testing.TB, of *Server, configure func(*server.Config)) *Server {
	t.Helper()
	if of.database == "" {
		t.Fatal("servertest: StartNode needs a server on PostgreSQL (" + EnvStore + "=postgres)")
	}
	return startOn(t, t.TempDir(), of.database, configure)
}

func startOn(t testing.TB, dir, database string, configure func(*server.Config)) *Server {
	t.Helper()
	clock := &Clock{now: time.Now()}
	cfg := server.Config{Now: clock.Now}
	if configure != nil {
		configure(&cfg)
	}
	s := &Server{Clock: clock, cfg: cfg, DataDir: dir, database: database}
	if err := s.start(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.HTTP = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		down := s.down
		s.mu.Unlock()
		if down {
			// Like a server that is gone: the connection closes without an answer.
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
		}
		s.serving.RLock()
		defer s.serving.RUnlock()
		s.Requests.Add(1)
		r.Body = CountBody(r.Body, &s.Received)
		s.handler.ServeHTTP(&counter{ResponseWriter: w, n: &s.Bytes}, r)
	}))
	s.URL = s.HTTP.URL
	t.Cleanup(s.Close)
	return s
}

// Quiesce waits until the requests being served have ended. A client that gave up on a
// cut connection returns before the server's handler notices; counters read after
// Quiesce hold all of that request's bytes.
func (s *Server) Quiesce() {
	s.serving.Lock()
	s.serving.Unlock()
}

// Database returns the PostgreSQL address the server keeps its data in (EnvStore), or
// "" when that is the data folder's SQLite file. Another process serving the same data
// needs it (ecert-server --database).
func (s *Server) Database() string { return s.database }

// Store returns the store of the server running now, for tests that check what it
// holds through the store contract rather than through one database's files.
func (s *Server) Store() store.Store { return s.store }

// Close stops the server and closes its data folder, so that another process may
// serve it. The test's cleanup calls it; it is idempotent.
func (s *Server) Close() {
	s.HTTP.Close()
	s.serving.Lock()
	defer s.serving.Unlock()
	if s.stop != nil {
		s.close()
	}
}

// start opens the data folder and starts a server on it.
func (s *Server) start() error {
	dir, err := datadir.Open(context.Background(), s.DataDir)
	if err != nil {
		return err
	}
	var st store.Store = dir.Store
	if s.database != "" {
		if st, err = postgres.Open(context.Background(), s.database, 0); err != nil {
			dir.Close()
			return err
		}
	}
	cfg := s.cfg
	cfg.Store, cfg.UploadDir = st, dir.Uploads
	if cfg.Blobs == nil { // else set by S3 (s3.go) or the caller's configure
		cfg.Blobs = dir.Blobs
	}
	s.locker = nil
	if s.database != "" && cfg.UploadLocker == nil {
		if s.locker, err = pglock.New(context.Background(), s.database, 0, nil); err != nil {
			s.closeStore(st, dir)
			return err
		}
		cfg.UploadLocker = s.locker
	}
	srv, err := server.New(cfg)
	if err != nil {
		s.closeStore(st, dir)
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(ctx)
	}()
	s.Server, s.handler, s.dir, s.store = srv, srv.Handler(), dir, st
	s.stop = func() {
		cancel()
		<-done
	}
	return nil
}

// close stops the server and closes its data folder.
func (s *Server) close() error {
	s.stop()
	s.stop = nil
	return s.closeStore(s.store, s.dir)
}

func (s *Server) closeStore(st store.Store, dir *datadir.Dir) error {
	if s.locker != nil {
		s.locker.Close()
		s.locker = nil
	}
	if pg, ok := st.(*postgres.Store); ok {
		pg.Close()
	}
	return dir.Close()
}

// Restart stops the server as a crash would and starts it again on the same data and
// address: every open connection is closed, requests in flight fail, new connections
// are dropped until the server is back. Callers must not use s.Server meanwhile.
func (s *Server) Restart() error {
	s.SetDown(true)
	defer s.SetDown(false)
	s.HTTP.CloseClientConnections()
	s.serving.Lock()
	defer s.serving.Unlock()
	if err := s.close(); err != nil {
		return err
	}
	return s.start()
}

// SetDown makes the server drop every connection (true) or serve again (false).
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	s.down = down
	s.mu.Unlock()
}

type counter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// Unwrap lets http.ResponseController reach the connection: tusd ends a PATCH whose
// lock another request asks for by setting the body's read deadline.
func (c *counter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

func (c *counter) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// CountingReader is r counting the bytes read from it into N.
type CountingReader struct {
	R io.Reader
	N *atomic.Int64
}

func (c *CountingReader) Read(p []byte) (int, error) {
	n, err := c.R.Read(p)
	c.N.Add(int64(n))
	return n, err
}

// CountBody makes a request body count the bytes read from it into n.
func CountBody(body io.ReadCloser, n *atomic.Int64) io.ReadCloser {
	return struct {
		io.Reader
		io.Closer
	}{&CountingReader{R: body, N: n}, body}
}
