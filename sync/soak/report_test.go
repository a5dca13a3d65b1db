package soak_test

import (
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"time"
)

// summary is the results document of a run (sync/SOAK.md after `make soak`).
func (h *harness) summary(res result, kills *killPhase) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	verdict := "**passed**: no duplicate, no loss, no stuck outbox entry, every replica equal to the server, in both parts"
	if h.t.Failed() {
		verdict = "**failed** (see the lists below)"
	}
	p("# Soak of the sync under faults\n\n")
	p("Written by `make soak` (`sync/soak`, TestSoak) on %s. Reproduce this run with:\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	p("```sh\nECERT_SOAK_SEED=%d ECERT_SOAK_FAULTS=%d ECERT_SOAK_INPROC=%d ECERT_SOAK_PROCS=%d ECERT_SOAK_SERVER_KILLS=%d make soak\n```\n\n",
		h.set.seed, h.set.faults, h.set.inproc, h.set.procs, h.set.serverKills)
	p("The same seed draws the same actions and faults; which request a fault hits depends on timing.\n\n")
	p("Result: %s.\n\n", verdict)
	p("| | |\n|---|---|\n")
	p("| faults injected | **%d** (%d noticed by the step they hit) |\n", h.total, sum(h.hit))
	if kills != nil {
		p("| and in the second part | ecert-server killed with SIGKILL **%d** times, %d more faults on the clients |\n",
			kills.kills, kills.h.total-kills.kills)
	}
	p("| duplicates found | **%d** |\n", len(res.duplicates)+killsCount(kills, func(r result) []string { return r.duplicates }))
	p("| items lost | **%d** |\n", len(res.lost)+killsCount(kills, func(r result) []string { return r.lost }))
	p("| outbox entries stuck (refused by the server) | **%d** |\n", len(res.stuck)+killsCount(kills, func(r result) []string { return r.stuck }))
	p("| time to converge once the faults stop | **%s** (rounds of sync of every client: %d) |\n", res.converge.Round(time.Millisecond), res.syncRounds)
	p("| workload | %d rounds in %s |\n", res.rounds, res.workload.Round(time.Second))
	p("| items checked on the server | %d messages, %d corrective measures sent, %d evidence files |\n", res.messages, res.cas, res.files)
	p("| partial uploads deleted at expiry, left after | %d, %d |\n", res.expired, len(res.leftovers))
	p("| machine | %d CPUs, %s/%s, %s |\n\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())

	p("## Clients\n\n")
	p("A real `ecert-server` (SQLite file) and, per client, a real replica behind its own toxiproxy proxy:\n\n")
	for _, org := range h.orgs {
		var names []string
		for _, w := range h.workers[org] {
			names = append(names, "`"+w.c.name()+"`")
		}
		p("- organisation %s: %s\n", org, strings.Join(names, ", "))
	}
	p("\n`-app` clients are the desktop app's core in the test process (what the window runs); `-process`\n")
	p("clients run every action as a separate `ecert-desktop` command, which the harness kills with SIGKILL.\n")
	p("Each client works on its own NCs; the analyst and the auditor act on the server at the same time.\n\n")

	p("## Faults by kind\n\n| fault | injected | noticed |\n|---|---:|---:|\n")
	for _, k := range sortedByCount(h.injected) {
		p("| %s | %d | %d |\n", k, h.injected[k], h.hit[k])
	}
	p("\n\"Noticed\" means the step saw an error (or its process died); a fault that only slowed a step,\n")
	p("or hit a connection the step did not use, is injected but not noticed.\n\n")

	p("## Operations\n\n| action | done |\n|---|---:|\n")
	for _, k := range sortedByCount(h.ledger.ops) {
		p("| %s | %d |\n", k, h.ledger.ops[k])
	}
	for _, k := range sortedByCount(h.analyst) {
		p("| analyst: %s | %d |\n", k, h.analyst[k])
	}
	p("| auditor: enter an NC (confirmed by the analyst) | %d |\n\n", h.entered)

	p("## Checks after quiescence\n\n")
	p("- every message, corrective measure sent and evidence file the app said it saved is on the server exactly once;\n")
	p("  an action whose process was killed may be there once or not at all, never twice;\n")
	p("- the evidence submissions of an NC are no more than the sends that queued them;\n")
	p("- the last text written on an NC still awaiting its CA is the local text, and a saved draft is the server's draft;\n")
	p("- every replica's canonical digest equals the server's for its organisation:\n\n")
	for _, org := range slices.Sorted(maps.Keys(res.digests)) {
		p("  - %s: `%s`\n", org, res.digests[org])
	}
	p("- no outbox entry pending or refused; no evidence file left unsent;\n")
	p("- after the upload expiry, the janitor leaves no partial upload (records and bytes).\n")
	list := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		p("\n### %s\n\n", title)
		for _, it := range items {
			p("- %s\n", it)
		}
	}
	list("Duplicates", res.duplicates)
	list("Lost", res.lost)
	list("Stuck", res.stuck)
	list("Replicas that differ from the server", res.diverged)
	list("Partial uploads left", res.leftovers)
	if kills != nil {
		b.WriteString(kills.summary())
	}
	return b.String()
}

// summary is the section of the part where the server process is killed.
func (k *killPhase) summary() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	h, res := k.h, k.res
	p("\n## The server killed\n\n")
	p("Then `ecert-server` runs as a separate process on its SQLite file, and is killed with SIGKILL\n")
	p("at random moments (and started again on the same data) while fresh clients work through\n")
	p("their own faults; no analyst acts, so only the server's process writes. After the last\n")
	p("restart every client syncs until nothing is left to send; the server is stopped and its\n")
	p("data read back for the same checks.\n\n")
	p("| | |\n|---|---|\n")
	p("| ecert-server killed | **%d** times, in %d rounds (%s) |\n", k.kills, k.rounds, k.duration.Round(time.Second))
	p("| duplicates found | **%d** |\n", len(res.duplicates))
	p("| items lost | **%d** |\n", len(res.lost))
	p("| outbox entries stuck | **%d** |\n", len(res.stuck))
	p("| replicas different from the server | **%d** |\n", len(res.diverged))
	p("| time until nothing is left to send | %s |\n", k.quiesce.Round(time.Millisecond))
	p("| items checked on the server | %d messages, %d corrective measures sent, %d evidence files |\n\n", res.messages, res.cas, res.files)
	p("| fault | injected | noticed |\n|---|---:|---:|\n")
	for _, kind := range sortedByCount(h.injected) {
		p("| %s | %d | %d |\n", kind, h.injected[kind], h.hit[kind])
	}
	p("\n| action | done |\n|---|---:|\n")
	for _, kind := range sortedByCount(h.ledger.ops) {
		p("| %s | %d |\n", kind, h.ledger.ops[kind])
	}
	for _, title := range []struct {
		name  string
		items []string
	}{{"Duplicates", res.duplicates}, {"Lost", res.lost}, {"Stuck", res.stuck}, {"Replicas that differ", res.diverged}} {
		if len(title.items) > 0 {
			p("\n### %s\n\n", title.name)
			for _, it := range title.items {
				p("- %s\n", it)
			}
		}
	}
	return b.String()
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func sortedByCount(m map[string]int) []string {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b string) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(a, b)
	})
	return keys
}

// killsCount counts a list of the server-kill part's findings, if it ran.
func killsCount(k *killPhase, list func(result) []string) int {
	if k == nil {
		return 0
	}
	return len(list(k.res))
}
