package main

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

type config struct {
	server, trivialAddr, doc, command string
	label, setup                      string
	serverPIDs                        []int
	firstOrg, orgCount                int
	idleFor, stepFor, settle          time.Duration
	idleRate                          int
	ramp                              []int
	pushShare                         float64
	password                          string // empty: each user's login
	loginWorkers                      int
	pin                               pinning
}

// target is one process under load: the real server or the trivial handler.
type target struct {
	name string
	base string
	pids []int // its processes: the nodes, or the trivial handler
	// figures of the run
	idle                  result
	ramp                  []result
	max                   int
	over                  result
	fresh, before, during usage // at start, after the logins, peak under load
	after                 usage
}

func run(log *slog.Logger, c config) error {
	ctx := context.Background()
	tr := &http.Transport{MaxIdleConns: 20000, MaxIdleConnsPerHost: 20000, IdleConnTimeout: time.Minute,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}
	hc := &http.Client{Transport: tr, Timeout: 10 * time.Second}

	fresh := sampleUsage(c.serverPIDs...)
	start := time.Now()
	orgs, err := loginAll(ctx, hc, c.server, c.firstOrg, c.orgCount, c.password, c.loginWorkers)
	if err != nil {
		return err
	}
	log.Info("logged in", "orgs", len(orgs), "took", time.Since(start).Round(time.Millisecond))

	// The bytes the trivial handler answers: a real idle sync and a real push.
	_, idleBody, err := orgs[0].pull(ctx, hc, c.server)
	if err != nil {
		return err
	}
	pushBody, err := doRaw(hc, orgs[0].pushRequest(ctx, c.server))
	if err != nil {
		return err
	}
	if _, _, err := orgs[0].pull(ctx, hc, c.server); err != nil { // past its own message
		return err
	}
	dir, err := os.MkdirTemp("", "loadtest")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	idleFile, pushFile := filepath.Join(dir, "idle.json"), filepath.Join(dir, "push.json")
	os.WriteFile(idleFile, idleBody, 0o600)
	os.WriteFile(pushFile, pushBody, 0o600)
	self, _ := os.Executable()
	// The logins used every core (argon2id); the load keeps the generator off the
	// target's cores.
	if err := c.pin.apply(c.serverPIDs...); err != nil {
		return err
	}
	cmd := c.pin.command(self, "trivial", "-addr", c.trivialAddr, "-idle", idleFile, "-push", pushFile)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Process.Kill()
	trivialBase := "http://" + c.trivialAddr
	if err := waitUp(hc, trivialBase); err != nil {
		return err
	}

	targets := []*target{
		{name: "ecert-server (" + c.label + ")", base: c.server, pids: c.serverPIDs},
		{name: "trivial handler", base: trivialBase, pids: []int{cmd.Process.Pid}},
	}
	for _, t := range targets {
		t.before = sampleUsage(t.pids...)
		t.fresh = t.before
	}
	targets[0].fresh = fresh
	// (a) idle syncs; (b) the ramp; (c) twice the max: each target in turn, same load.
	for _, t := range targets {
		t.idle = phase(ctx, hc, orgs, t, c.idleRate, c.idleFor, c, 0)
		log.Info("idle", "target", t.name, "p50", t.idle.p50, "p99", t.idle.p99, "ok", t.idle.ok, "sent", t.idle.sent)
	}
	for _, t := range targets {
		stop := make(chan struct{})
		peak := watch(t.pids, stop)
		for _, rate := range c.ramp {
			r := phase(ctx, hc, orgs, t, rate, c.stepFor, c, c.pushShare)
			t.ramp = append(t.ramp, r)
			log.Info("ramp", "target", t.name, "rate", rate, "p50", r.p50, "p99", r.p99, "ok", r.ok, "shed", r.shed, "5xx", r.server5xx, "other", r.other, "cpu", r.cpu)
			if !r.passes() {
				break
			}
			t.max = rate
		}
		over := 2 * t.max
		if over == 0 {
			over = 2 * c.ramp[0]
		}
		t.over = phase(ctx, hc, orgs, t, over, c.stepFor, c, c.pushShare)
		log.Info("overload", "target", t.name, "rate", over, "p99", t.over.p99, "ok", t.over.ok, "shed", t.over.shed, "5xx", t.over.server5xx, "other", t.over.other)
		close(stop)
		t.during = <-peak
		time.Sleep(2 * time.Second) // let the next target start from quiet
	}
	tr.CloseIdleConnections()
	log.Info("settling", "for", c.settle)
	time.Sleep(c.settle)
	for _, t := range targets {
		t.after = sampleUsage(t.pids...)
	}
	return writeDoc(c, len(orgs), targets)
}

// phase runs one rate against one target; a share of the requests are pushes.
//
// Every tenth organisation pushes and the others only sync, so an idle sync stays idle:
// its cursor is at the end of its organisation's log for the whole run.
func phase(ctx context.Context, hc *http.Client, orgs []*org, t *target, rate int, d time.Duration, c config, pushShare float64) result {
	pick := func() request {
		i := rand.IntN(len(orgs))
		if rand.Float64() < pushShare || len(orgs) == 1 {
			o := orgs[i/10*10]
			return func(ctx context.Context) *http.Request { return o.pushRequest(ctx, t.base) }
		}
		if i%10 == 0 {
			i = (i + 1) % len(orgs) // a pusher: take its neighbour
		}
		o := orgs[i]
		return func(ctx context.Context) *http.Request { return o.syncRequest(ctx, t.base) }
	}
	cpu0, wall0 := cpuTime(t.pids...), time.Now()
	r := summarise(rate, paced(ctx, hc, rate, d, pick))
	r.cpu = float64(cpuTime(t.pids...)-cpu0) / float64(time.Since(wall0))
	return r
}

func waitUp(hc *http.Client, base string) error {
	for range 100 {
		if resp, err := hc.Get(base + "/"); err == nil {
			resp.Body.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer", base)
}
