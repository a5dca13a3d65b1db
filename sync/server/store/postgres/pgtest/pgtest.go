package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Environment variables read by the package.
const (
	// EnvRequire set to 1 makes a missing PostgreSQL fail the tests that need it
	// instead of skipping them. CI sets it.
	EnvRequire = "ECERT_REQUIRE_POSTGRES"
	// EnvBin names the folder of PostgreSQL's programs (initdb, postgres) when they
	// are not where Debian's postgresql-15 puts them.
	EnvBin = "ECERT_POSTGRES_BIN"
)

// DefaultBin is where Debian's postgresql-15 package installs the programs.
const DefaultBin = "/usr/lib/postgresql/15/bin"

// ErrNotInstalled means PostgreSQL's programs were not found.
var ErrNotInstalled = errors.New("PostgreSQL is not installed")

// Cluster is a running PostgreSQL server in a temporary folder, reached as the
// superuser "postgres" without a password on 127.0.0.1. Its data is not durable
// (fsync off): it is for tests only.
type Cluster struct {
	dir    string
	port   int
	cmd    *exec.Cmd
	exited chan struct{}
	log    *bytes.Buffer // the server's output, for errors

	mu    sync.Mutex
	admin *pgx.Conn
	n     atomic.Int64
}

// Start creates a cluster in a new temporary folder and starts its server. When the
// process runs as root the server runs as the user "postgres" (initdb refuses root);
// otherwise as the current user. The caller must Stop it.
func Start(ctx context.Context) (*Cluster, error) {
	bin := os.Getenv(EnvBin)
	if bin == "" {
		bin = DefaultBin
	}
	for _, prog := range []string{"initdb", "postgres"} {
		if _, err := os.Stat(filepath.Join(bin, prog)); err != nil {
			return nil, fmt.Errorf("%w: no %s in %s (install Debian's postgresql-15, or set %s)", ErrNotInstalled, prog, bin, EnvBin)
		}
	}
	owner, err := runAs()
	if err != nil {
		return nil, err
	}
	removeStale()
	dir, err := os.MkdirTemp("", "ecert-pgtest-")
	if err != nil {
		return nil, err
	}
	if owner != nil {
		if err := os.Chown(dir, int(owner.uid), int(owner.gid)); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres",
		"-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = procAttr(owner)
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %w\n%s", err, out)
	}
	// A free port may be taken between the probe and the server's bind: try again.
	for attempt := 1; ; attempt++ {
		c, err := startServer(ctx, bin, dir, owner)
		if err == nil {
			return c, nil
		}
		if attempt == 3 {
			os.RemoveAll(dir)
			return nil, err
		}
	}
}

func startServer(ctx context.Context, bin, dir string, owner *account) (*Cluster, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir, port: port, exited: make(chan struct{}), log: &bytes.Buffer{}}
	c.cmd = exec.Command(filepath.Join(bin, "postgres"), "-D", filepath.Join(dir, "data"),
		"-p", strconv.Itoa(port), "-k", dir,
		"-c", "listen_addresses=127.0.0.1",
		"-c", "max_connections=300",
		// Tests only: nothing here must survive a power cut.
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	c.cmd.Stdout, c.cmd.Stderr = c.log, c.log
	c.cmd.SysProcAttr = procAttr(owner)
	if err := c.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	go func() {
		c.cmd.Wait()
		close(c.exited)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		conn, err := pgx.Connect(ctx, c.URL("postgres"))
		if err == nil {
			c.admin = conn
			return c, nil
		}
		select {
		case <-c.exited:
			return nil, fmt.Errorf("postgres exited: %s", c.log.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			c.kill()
			return nil, fmt.Errorf("postgres did not accept connections within 30 s: %w", err)
		}
	}
}

// URL is the address of database db of the cluster.
func (c *Cluster) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// CreateDatabase creates a new, empty database and returns its address.
func (c *Cluster) CreateDatabase(ctx context.Context) (string, error) {
	name := "test_" + strconv.FormatInt(c.n.Add(1), 10)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := c.admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("create database: %w", err)
	}
	return c.URL(name), nil
}

// Stop shuts the server down (fast: open sessions are ended) and removes its folder.
func (c *Cluster) Stop() {
	c.admin.Close(context.Background())
	c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-c.exited:
	case <-time.After(10 * time.Second):
		c.kill()
	}
	os.RemoveAll(c.dir)
}

func (c *Cluster) kill() {
	c.cmd.Process.Kill()
	<-c.exited
}

// removeStale removes the folders of clusters whose test binary ended without Stop
// (the kernel stopped their server, see procAttr): those without a running server,
// untouched for a while (a cluster being created has no server yet).
func removeStale() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "ecert-pgtest-*"))
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || time.Since(fi.ModTime()) < 10*time.Minute {
			continue
		}
		if pid, err := os.ReadFile(filepath.Join(dir, "data", "postmaster.pid")); err == nil {
			n, _ := strconv.Atoi(string(bytes.SplitN(pid, []byte("\n"), 2)[0]))
			if n > 0 && running(n) {
				continue // still running
			}
		}
		os.RemoveAll(dir)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// account is a user the cluster runs as.
type account struct{ uid, gid uint32 }

// runAs returns the credential of the user "postgres" when running as root, nil
// (run as oneself) otherwise.
func runAs() (*account, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, PostgreSQL must run as the user postgres: %w", err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	return &account{uid: uint32(uid), gid: uint32(gid)}, nil
}

// The cluster shared by the tests of one test binary, started at first use.
var shared struct {
	once  sync.Once
	c     *Cluster
	err   error
	byKey map[string]string // DatabaseFor, under c.mu
}

// Database returns the address of a new, empty database on the test binary's shared
// cluster, which it starts at first use (Main stops it). Without PostgreSQL the test
// is skipped, or fails when EnvRequire is 1.
func Database(t testing.TB) string {
	t.Helper()
	url, err := sharedCluster(t).CreateDatabase(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return url
}

// DatabaseFor is Database, the same one for the same key all along the test binary:
// a test server reopening its data folder finds its database again.
func DatabaseFor(t testing.TB, key string) string {
	t.Helper()
	c := sharedCluster(t)
	c.mu.Lock()
	url, ok := shared.byKey[key]
	c.mu.Unlock()
	if ok {
		return url
	}
	url = Database(t)
	c.mu.Lock()
	shared.byKey[key] = url
	c.mu.Unlock()
	return url
}

func sharedCluster(t testing.TB) *Cluster {
	t.Helper()
	shared.once.Do(func() {
		start := time.Now()
		shared.byKey = map[string]string{}
		shared.c, shared.err = Start(context.Background())
		if shared.err == nil {
			fmt.Fprintf(os.Stderr, "pgtest: PostgreSQL started in %v\n", time.Since(start).Round(time.Millisecond))
		}
	})
	if shared.err != nil {
		if errors.Is(shared.err, ErrNotInstalled) && os.Getenv(EnvRequire) != "1" {
			t.Skipf("%v (set %s=1 to fail instead)", shared.err, EnvRequire)
		}
		t.Fatalf("PostgreSQL for tests: %v", shared.err)
	}
	return shared.c
}

// Main runs the tests, then stops the shared cluster if a test started it:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	if shared.c != nil {
		shared.c.Stop()
	}
	os.Exit(code)
}
