package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if len(os.Args) > 1 && os.Args[1] == "trivial" {
		if err := serveTrivial(os.Args[2:]); err != nil {
			log.Error("trivial handler", "error", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "cluster" {
		if err := serveCluster(os.Args[2:]); err != nil {
			log.Error("cluster", "error", err)
			os.Exit(1)
		}
		return
	}
	var c config
	flag.StringVar(&c.server, "server", "http://127.0.0.1:18470", "base URL of the running ecert-server")
	pids := flag.String("server-pid", "", "process ids of that server's nodes, comma-separated (memory, handles, CPU: summed)")
	flag.StringVar(&c.label, "label", "one SQLite node", "the set-up, as the document's section names it")
	flag.StringVar(&c.setup, "setup", "One `ecert-server` process (SQLite in its data folder, default flags: `--max-in-flight 64`) on loopback.",
		"the set-up described in a sentence or two (Markdown)")
	flag.StringVar(&c.trivialAddr, "trivial-addr", "127.0.0.1:18471", "where the trivial handler listens")
	orgs := flag.String("orgs", "10001:100", "first:count of the generated organisations (login u<org>)")
	flag.StringVar(&c.password, "password", "", "the users' password (ecert-server generate --orgs --password); empty: each user's login")
	flag.IntVar(&c.loginWorkers, "login-workers", runtime.NumCPU(), "logins at once (each costs the server an argon2id check)")
	pin := flag.String("pin", "", "GEN:TARGET CPU lists (taskset): after the logins, the generator runs on GEN and the target on TARGET")
	flag.StringVar(&c.doc, "doc", "sync/LOAD.md", "document to write")
	flag.StringVar(&c.command, "command", "make load", "the command shown in the document")
	flag.DurationVar(&c.idleFor, "idle-for", 20*time.Second, "length of the idle-sync phase")
	flag.IntVar(&c.idleRate, "idle-rate", 100, "idle syncs per second")
	steps := flag.String("ramp", "100,200,500,1000,2000,4000,6000", "ramp rates, requests per second")
	flag.DurationVar(&c.stepFor, "step-for", 10*time.Second, "length of each ramp step and of the overload")
	flag.Float64Var(&c.pushShare, "push-share", 0.05, "share of pushes in the ramp and the overload")
	flag.DurationVar(&c.settle, "settle", 30*time.Second, "wait after the load before the last memory sample")
	flag.Parse()
	var err error
	if c.pin, err = parsePin(*pin); err != nil {
		log.Error("bad -pin", "error", err)
		os.Exit(2)
	}

	first, count, ok := strings.Cut(*orgs, ":")
	c.firstOrg, _ = strconv.Atoi(first)
	c.orgCount, _ = strconv.Atoi(count)
	if !ok || c.firstOrg <= 0 || c.orgCount <= 0 {
		log.Error("bad -orgs", "error", fmt.Errorf("want first:count, got %q", *orgs))
		os.Exit(2)
	}
	for _, s := range strings.Split(*pids, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && n > 0 {
			c.serverPIDs = append(c.serverPIDs, n)
		}
	}
	if len(c.serverPIDs) == 0 {
		log.Error("bad -server-pid", "error", fmt.Errorf("want one or more process ids, got %q", *pids))
		os.Exit(2)
	}
	for _, s := range strings.Split(*steps, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			log.Error("bad -ramp", "error", fmt.Errorf("rate %q", s))
			os.Exit(2)
		}
		c.ramp = append(c.ramp, n)
	}
	if err := run(log, c); err != nil {
		log.Error("load test", "error", err)
		os.Exit(1)
	}
}
