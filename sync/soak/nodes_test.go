package soak_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs/s3"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs/s3/s3test"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// The soak's server-kill part against several nodes: three ecert-server processes on
// one PostgreSQL database and one S3 bucket behind HAProxy (the operator's
// build/haproxy/ecert-server.cfg). HAProxy spreads every request round robin, so a
// client's pushes, pulls and the PATCHes of a resumed upload land on different nodes;
// meanwhile one node at a time, picked at random, is killed with SIGKILL and started
// again. The checks are the soak's: 0 duplicates, 0 lost, every replica equal to the
// server.

const (
	faultNodeKilled = "kill -9 of one ecert-server node, then a restart"
	soakNodes       = 3
)

// TestSoakNodes runs the nodes part: ECERT_SOAK_NODE_KILLS kills (a few by default;
// make soak-nodes runs 100 and writes ECERT_SOAK_NODES_REPORT).
func TestSoakNodes(t *testing.T) {
	if os.Getenv(servertest.EnvStore) != "postgres" {
		t.Skipf("the nodes share a PostgreSQL database: run with %s=postgres (make test-postgres)", servertest.EnvStore)
	}
	set := settingsFromEnv(t)
	kills := 4
	if v := os.Getenv("ECERT_SOAK_NODE_KILLS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("ECERT_SOAK_NODE_KILLS=%q: %v", v, err)
		}
		kills = n
	}
	t.Logf("seed %d — replay with ECERT_SOAK_SEED=%d ECERT_SOAK_NODE_KILLS=%d ECERT_SOAK_INPROC=%d ECERT_SOAK_PROCS=%d",
		set.seed, set.seed, kills, set.inproc, set.procs)
	k := runNodeKills(t, set, kills)
	k.res.report(t)
	if path := os.Getenv("ECERT_SOAK_NODES_REPORT"); path != "" {
		if err := os.WriteFile(path, []byte(k.nodesSummary(set)), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("summary written to %s", path)
	}
}

// node is one ecert-server process of the set-up and what it needs to start again;
// served counts the requests it answered over its lives (requests, of which PATCHes of
// uploads), read from its /metrics before each kill and at the end.
type node struct {
	addr, data     string
	p              *serverProcess
	served, patchs int
}

// tally adds what the node's current process answered so far to its counts.
func (n *node) tally() {
	res, err := http.Get("http://" + n.addr + server.MetricsPath)
	if err != nil {
		return // it may be busy restarting: the counts are a lower bound
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "ecert_http_requests_total{") {
			continue
		}
		v, err := strconv.Atoi(line[strings.LastIndexByte(line, ' ')+1:])
		if err != nil {
			continue
		}
		n.served += v
		if strings.Contains(line, `route="PATCH `) {
			n.patchs += v
		}
	}
}

func runNodeKills(t *testing.T, set settings, kills int) killPhase {
	ctx := context.Background()
	started := time.Now()
	h := emptyHarness(t, set)
	h.dataDir = t.TempDir()
	bucket := s3test.Start(t)
	// The data is made in this process on the database and bucket, then served by the nodes.
	srv := servertest.StartIn(t, h.dataDir, servertest.S3(t, bucket))
	h.prepareWithoutAnalyst(ctx, srv)
	srv.Close()
	database := srv.Database()

	flags := s3Args(bucket)
	nodes := make([]*node, soakNodes)
	backends := make([]string, soakNodes)
	for i := range nodes {
		n := &node{addr: freeAddr(t), data: filepath.Join(t.TempDir(), fmt.Sprintf("node%d", i+1))}
		p, err := startServer(n.addr, n.data, database, flags...)
		if err != nil {
			t.Fatal(err)
		}
		n.p, nodes[i], backends[i] = p, n, n.addr
	}
	lb := servertest.HAProxy(t, backends...)
	h.addClients(ctx, lb.URL)

	// The killer: a random node, SIGKILL at a random moment, a random pause, a restart
	// on the same address and folder. The clients see it through HAProxy only.
	r := rand.New(rand.NewPCG(set.seed, 77))
	var mu sync.Mutex
	var killErr error
	killed := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		for killed < kills {
			time.Sleep(time.Duration(50+r.IntN(500)) * time.Millisecond)
			n := nodes[r.IntN(len(nodes))]
			n.tally()
			n.p.kill()
			killed++
			h.count(faultNodeKilled, true)
			time.Sleep(time.Duration(r.IntN(300)) * time.Millisecond)
			p, err := startServer(n.addr, n.data, database, flags...)
			mu.Lock()
			if err == nil {
				n.p = p
			}
			killErr = err
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	rounds := 0
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		rounds++
		var wg sync.WaitGroup
		for _, w := range h.all() {
			wg.Go(func() { h.step(ctx, w) })
		}
		wg.Wait()
		if t.Failed() {
			break
		}
	}
	<-done
	if killErr != nil {
		t.Fatalf("restart after kill %d: %v", killed, killErr)
	}
	quiet := time.Now()
	views := h.quiesce(ctx)
	quiesce := time.Since(quiet)
	for i, n := range nodes {
		n.tally()
		n.p.stop()
		if n.served == 0 {
			t.Errorf("node %d answered no request: HAProxy did not spread them", i+1)
		}
	}
	lb.Stop()

	// The server's data as the nodes left it, read in this process.
	after := servertest.StartIn(t, h.dataDir, servertest.S3(t, bucket))
	defer after.Close()
	res := h.check(ctx, after, views)
	t.Logf("%d nodes, one killed %d times in %d rounds; quiet in %s; %d messages, %d CAs, %d files checked; %d duplicates, %d lost, %d replicas differ",
		soakNodes, killed, rounds, quiesce.Round(time.Millisecond), res.messages, res.cas, res.files,
		len(res.duplicates), len(res.lost), len(res.diverged))
	k := killPhase{h: h, kills: killed, rounds: rounds, res: res, quiesce: quiesce, duration: time.Since(started)}
	for _, n := range nodes {
		k.nodes = append(k.nodes, [2]int{n.served, n.patchs})
	}
	return k
}

// s3Args are the ecert-server flags of bucket. The secret goes on the command line: a
// throwaway test server's.
func s3Args(c s3.Config) []string {
	args := []string{"--s3-bucket", c.Bucket, "--s3-endpoint", c.Endpoint, "--s3-access-key", c.AccessKey, "--s3-secret-key", c.SecretKey}
	if c.PathStyle {
		args = append(args, "--s3-path-style")
	}
	return args
}

// nodesSummary is sync/SOAK-NODES.md: what ran and what the checks found.
func (k *killPhase) nodesSummary(set settings) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# Soak: several ecert-server nodes, one killed at random\n\n")
	p("Written by `make soak-nodes` (sync/soak/nodes_test.go, `TestSoakNodes`); %s, seed %d\n", time.Now().UTC().Format("2006-01-02"), set.seed)
	p("(replay: `make soak-nodes ECERT_SOAK_SEED=%d`).\n\n", set.seed)
	p("%d `ecert-server` processes share one PostgreSQL 15 database and one S3 bucket (versitygw),\n", soakNodes)
	p("behind HAProxy running the operator's `build/haproxy/ecert-server.cfg` (round robin, retries\n")
	p("on connection failure, health check on `/readyz`; only the check timings shortened). Every\n")
	p("request of every client may land on any node: a push on one, the pull on another, the PATCHes\n")
	p("of one resumed upload on several (their lock is pglock's, in PostgreSQL). While %d desktop\n", len(k.h.all()))
	p("clients work through the soak's network faults and process kills, one node at a time, picked\n")
	p("at random, is killed with SIGKILL at a random moment and started again. Then every client\n")
	p("syncs until nothing is left to send, the nodes stop, and the data is read back for the checks.\n")
	// The table and the lists are the server-kill part's.
	body := k.summary()
	if i := strings.Index(body, "| |"); i >= 0 {
		body = strings.Replace(body[i:], "ecert-server killed", "a node killed", 1)
	}
	p("\n%s", body)
	p("\n| node | requests answered | of which upload PATCHes |\n|---|---:|---:|\n")
	for i, n := range k.nodes {
		p("| node%d | %d | %d |\n", i+1, n[0], n[1])
	}
	p("\n(Counted from each node's `/metrics` before each kill and at the end: a lower bound, as\n")
	p("what a node answered between the last scrape and its kill is not counted.)\n")
	return b.String()
}
