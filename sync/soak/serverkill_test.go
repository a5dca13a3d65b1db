package soak_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// The second part of the soak: ecert-server as a separate process, killed with SIGKILL
// at random moments while the clients work through their own faults, and started
// again on its data. There is no analyst here: the server's process is the only writer.

const faultServerKilled = "kill -9 of ecert-server, then a restart on its data"

// serverProcess is a running ecert-server.
type serverProcess struct {
	cmd  *exec.Cmd
	done chan struct{}
}

// startServer runs ecert-server on addr and data and waits until it listens. database,
// unless empty, is the PostgreSQL database that keeps the data (servertest.EnvStore);
// extra are more flags.
func startServer(addr, data, database string, extra ...string) (*serverProcess, error) {
	args := []string{"--addr", addr, "--data-dir", data}
	if database != "" {
		args = append(args, "--database", database)
	}
	args = append(args, extra...)
	cmd := exec.Command(binServer, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var logs strings.Builder
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &serverProcess{cmd: cmd, done: make(chan struct{})}
	listening := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "listening") {
				listening <- true
			}
		}
		listening <- false
		cmd.Wait()
		close(p.done)
	}()
	select {
	case ok := <-listening:
		if ok {
			return p, nil
		}
	case <-time.After(20 * time.Second):
	}
	p.kill()
	return nil, fmt.Errorf("ecert-server did not start: %s", logs.String())
}

// kill ends the process with SIGKILL, as a power cut would.
func (p *serverProcess) kill() {
	p.cmd.Process.Kill()
	<-p.done
}

// stop ends it as its operator does (SIGTERM: it finishes what it serves).
func (p *serverProcess) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.kill()
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// killPhase is what the server-kill part found.
type killPhase struct {
	h        *harness
	kills    int
	rounds   int
	res      result
	quiesce  time.Duration
	duration time.Duration
	nodes    [][2]int // with several nodes: requests and upload PATCHes each answered
}

func runServerKills(t *testing.T, set settings) killPhase {
	ctx := context.Background()
	started := time.Now()
	h := emptyHarness(t, set)
	h.dataDir = t.TempDir()
	// The data is made in this process, then served by the ecert-server process.
	srv := servertest.StartIn(t, h.dataDir, nil)
	h.prepareWithoutAnalyst(ctx, srv)
	srv.Close()
	database := srv.Database()

	addr := freeAddr(t)
	p, err := startServer(addr, h.dataDir, database)
	if err != nil {
		t.Fatal(err)
	}
	h.addClients(ctx, "http://"+addr)

	// The killer: SIGKILL at a random moment, a random pause, a restart.
	r := rand.New(rand.NewPCG(set.seed, 99))
	var mu sync.Mutex
	var killErr error
	kills := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		for kills < set.serverKills {
			time.Sleep(time.Duration(50+r.IntN(500)) * time.Millisecond)
			p.kill()
			kills++
			h.count(faultServerKilled, true)
			time.Sleep(time.Duration(r.IntN(200)) * time.Millisecond)
			next, err := startServer(addr, h.dataDir, database)
			mu.Lock()
			p, killErr = next, err
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
		t.Fatalf("restart after kill %d: %v", kills, killErr)
	}
	quiet := time.Now()
	views := h.quiesce(ctx)
	quiesce := time.Since(quiet)
	p.stop()

	// The server's data as it stands, read in this process now that it stopped.
	after := servertest.StartIn(t, h.dataDir, nil)
	defer after.Close()
	res := h.check(ctx, after, views)
	t.Logf("server killed %d times in %d rounds; quiet in %s; %d messages, %d CAs, %d files checked; %d duplicates, %d lost",
		kills, rounds, quiesce.Round(time.Millisecond), res.messages, res.cas, res.files, len(res.duplicates), len(res.lost))
	return killPhase{h: h, kills: kills, rounds: rounds, res: res, quiesce: quiesce, duration: time.Since(started)}
}

// prepareWithoutAnalyst is prepare for a run where no analyst will move NCs on: half
// of the new ones await evidence from the start.
func (h *harness) prepareWithoutAnalyst(ctx context.Context, srv *servertest.Server) {
	h.prepare(ctx, srv)
	for _, org := range h.orgs {
		ncs, err := srv.NCs(ctx, org)
		if err != nil {
			h.t.Fatal(err)
		}
		for i, nc := range ncs {
			if nc.Stage == api.StageCARequested && strings.HasPrefix(nc.ID, "NC-9") && i%2 == 0 {
				nc.Stage, nc.CAStatus, nc.EvidenceStatus = api.StageEvidenceRequested, api.StatusAccepted, api.StatusRequested
				if err := srv.UpsertNC(ctx, org, nc); err != nil {
					h.t.Fatal(err)
				}
			}
		}
	}
}

// quiesce syncs every client, without faults, until none has anything left to send,
// then once more so that each holds what the others sent; it returns the replicas.
func (h *harness) quiesce(ctx context.Context) map[string]replicaView {
	deadline := time.Now().Add(3 * time.Minute)
	for {
		for _, w := range h.all() {
			w.c.sync(ctx)
		}
		views := map[string]replicaView{}
		var waiting []string
		for _, w := range h.all() {
			v, err := w.c.replica(ctx)
			if err != nil {
				h.t.Fatalf("%s: %v", w.c.name(), err)
			}
			views[w.c.name()] = v
			if v.pending > 0 || len(v.unsent) > 0 {
				waiting = append(waiting, fmt.Sprintf("%s: %d pending, unsent %v", w.c.name(), v.pending, v.unsent))
			}
		}
		if len(waiting) == 0 {
			for _, w := range h.all() {
				if err := w.c.sync(ctx); err != nil {
					h.t.Errorf("last sync of %s: %v", w.c.name(), err)
				}
				v, err := w.c.replica(ctx)
				if err != nil {
					h.t.Fatal(err)
				}
				views[w.c.name()] = v
			}
			return views
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("still waiting after 3 minutes:\n%s", strings.Join(waiting, "\n"))
		}
	}
}
