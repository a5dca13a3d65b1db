//go:build unix

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store/postgres/pgtest"
)

// These tests run ecert-server as separate processes on one PostgreSQL, as the nodes
// of a deployment are: the test binary re-run with envArgs runs main with those
// arguments instead of the tests.

// envArgs holds the arguments of a re-run, separated by newlines.
const envArgs = "ECERT_SERVER_TEST_ARGS"

// node is one ecert-server process serving on base.
type node struct {
	base string
	cmd  *exec.Cmd
}

// command returns the test binary made ecert-server with args; its output goes to the
// test's log when the test fails.
func command(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envArgs+"="+strings.Join(args, "\n"), "ECERT_LOG_LEVEL=warn")
	var errs bytes.Buffer
	cmd.Stderr = &errs
	t.Cleanup(func() {
		if t.Failed() && errs.Len() > 0 {
			t.Logf("ecert-server %s:\n%s", strings.Join(args, " "), errs.String())
		}
	})
	return cmd, &errs
}

// startNode starts `ecert-server --database url` on a free port with a data folder of
// its own, and returns once it says where it listens; it is killed when the test ends.
func startNode(t *testing.T, url string) *node {
	t.Helper()
	cmd, _ := command(t, "--addr", "127.0.0.1:0", "--data-dir", filepath.Join(t.TempDir(), "data"), "--database", url)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if addr, ok := strings.CutPrefix(lines.Text(), "ecert-server listening on "); ok {
			go io.Copy(io.Discard, out)
			base, _, _ := strings.Cut(addr, " ")
			return &node{base: base, cmd: cmd}
		}
	}
	t.Fatalf("ecert-server on %s exited before listening", url)
	return nil
}

// ready waits until the node's /readyz answers 200: its database and files are reachable.
func (n *node) ready(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(n.base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never became ready (last: %v)", n.base, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// login posts a login to the node and returns the status and the Retry-After header.
func (n *node) login(t *testing.T, user, password string) (int, string) {
	t.Helper()
	body, _ := json.Marshal(api.LoginRequest{Username: user, Password: password})
	res, err := http.Post(n.base+api.Version+"/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	io.Copy(io.Discard, res.Body)
	return res.StatusCode, res.Header.Get("Retry-After")
}

// generateCmd returns `ecert-server generate` for a small organisation org, login u<org>.
func generateCmd(t *testing.T, url, org string) *exec.Cmd {
	t.Helper()
	cmd, _ := command(t, "generate", "--data-dir", filepath.Join(t.TempDir(), "data"), "--database", url,
		"--org", org, "--user", "u"+org, "--audits", "1", "--ncs", "2", "--messages", "2", "--evidence", "0",
		"--operators", "20")
	return cmd
}

// Several nodes and several `generate` runs started at once on an empty database all
// succeed: the first to take the migration lock makes the schema, the others wait
// and find it made ("table orgs already exists" before the lock). Every node then
// serves every organisation generated.
func TestNodesAndGenerateStartAtOnceOnEmptyDatabase(t *testing.T) {
	url := pgtest.Database(t)
	const nodes = 3
	orgs := []string{"10001", "10002", "10003"}
	var wg sync.WaitGroup
	started := make([]*node, nodes)
	for i := range nodes {
		wg.Go(func() { started[i] = startNode(t, url) })
	}
	genErrs := make([]error, len(orgs))
	for i, org := range orgs {
		cmd := generateCmd(t, url, org)
		wg.Go(func() { genErrs[i] = cmd.Run() })
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	for i, err := range genErrs {
		if err != nil {
			t.Errorf("generate %s at once with the others: %v", orgs[i], err)
		}
	}
	for _, n := range started {
		n.ready(t)
		for _, org := range orgs {
			if status, _ := n.login(t, "u"+org, "u"+org); status != http.StatusOK {
				t.Errorf("login u%s on %s: %d, want 200", org, n.base, status)
			}
		}
	}
	// Each migration was applied once.
	db, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(context.Background())
	var steps, distinct int
	if err := db.QueryRow(context.Background(), `SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&steps, &distinct); err != nil {
		t.Fatal(err)
	}
	if steps == 0 || steps != distinct {
		t.Errorf("schema_migrations: %d rows, %d versions; want each version once", steps, distinct)
	}
}

// Two ecert-server processes on one database count failed logins together: the
// wrong passwords of one user from one address, spread over both, lock that user
// from that address on both as the same number on one node would; another user
// behind the address still logs in.
func TestLoginLimitsHoldAcrossProcesses(t *testing.T) {
	url := pgtest.Database(t)
	for _, org := range []string{"10001", "10002"} {
		if err := generateCmd(t, url, org).Run(); err != nil {
			t.Fatalf("generate %s: %v", org, err)
		}
	}
	a, b := startNode(t, url), startNode(t, url)
	a.ready(t)
	b.ready(t)
	both := []*node{a, b}
	// auth.LoginFailures is the processes' default: they read the same package.
	for i := range auth.LoginFailures {
		if status, _ := both[i%2].login(t, "u10001", "wrong "+strconv.Itoa(i)); status != http.StatusUnauthorized {
			t.Fatalf("wrong password %d on %s: %d, want 401", i+1, both[i%2].base, status)
		}
	}
	for _, n := range both {
		status, after := n.login(t, "u10001", "u10001")
		if status != http.StatusTooManyRequests {
			t.Errorf("right password after %d failures over two nodes, on %s: %d, want 429", auth.LoginFailures, n.base, status)
		}
		if s, err := strconv.Atoi(after); err != nil || s < 1 || s > int(auth.LoginWindow/time.Second) {
			t.Errorf("Retry-After on %s: %q", n.base, after)
		}
	}
	for _, n := range both {
		if status, _ := n.login(t, "u10002", "u10002"); status != http.StatusOK {
			t.Errorf("another user from the address on %s: %d, want 200", n.base, status)
		}
	}
}

func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv(envArgs); ok {
		os.Args = append([]string{"ecert-server"}, strings.Split(args, "\n")...)
		main() // exits on an error
		return
	}
	pgtest.Main(m)
}
