package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

// writeDoc writes the results document: the machine, the command, the figures and
// which goals they meet. The prose that does not depend on the figures is here too, so
// that the document is always the last run's.
func writeDoc(c config, orgs int, ts []*target) error {
	srv, triv := ts[0], ts[1]
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }
	mb := func(kb int) string { return fmt.Sprintf("%.1f MiB", float64(kb)/1024) }

	p("%s\n\n", sectionBegin(c.label))
	p("## %s\n\n", c.label)
	p("Written by `%s` (build/scripts/load.sh, build/loadtest) on %s; machine: %s, %d cores, %s.\n\n",
		c.command, time.Now().UTC().Format("2006-01-02 15:04 UTC"), cpuModel(), runtime.NumCPU(), runtime.Version())
	p("%s %d organisations made by `ecert-server generate` (1 audit, 2 NCs, 2 messages, one client\n", c.setup, orgs)
	p("user each), each user logged in once and its token reused. Ramp and overload: %.0f %% pushes.\n", c.pushShare*100)
	p("%s\n\n", c.pin.describe())
	p("| Phase | Figure | ecert-server | trivial handler | ratio |\n|---|---|---|---|---|\n")
	p("| (a) idle syncs, %d/s for %s | p50 / p99 | %s / %s | %s / %s | |\n", c.idleRate, c.idleFor, ms(srv.idle.p50), ms(srv.idle.p99), ms(triv.idle.p50), ms(triv.idle.p99))
	p("| | errors (of sent) | %d of %d | %d of %d | |\n", errs(srv.idle), srv.idle.sent, errs(triv.idle), triv.idle.sent)
	for i, rate := range c.ramp {
		var cells [2]string
		for j, t := range ts {
			cells[j] = "not run (an earlier step failed)"
			if i < len(t.ramp) {
				r := t.ramp[i]
				cells[j] = fmt.Sprintf("%s / %s, %d errors, CPU %.2f cores%s", ms(r.p50), ms(r.p99), errs(r), r.cpu, mark(r.passes()))
			}
		}
		p("| (b) ramp %d/s for %s | p50 / p99, errors | %s | %s | |\n", rate, c.stepFor, cells[0], cells[1])
	}
	p("| (b) max sustainable (p99 < 50 ms, no error) | req/s | **%d** | **%d** | **%s** |\n", srv.max, triv.max, ratio(srv.max, triv.max))
	for _, t := range []*target{srv} {
		o := t.over
		p("| (c) 2 × max = %d/s for %s | 503 shed / 500s / other errors / ok | %d / %d / %d / %d | | |\n", o.rate, c.stepFor, o.shed, o.server5xx, o.other, o.ok)
		p("| | p50 / p99 | %s / %s | | |\n", ms(o.p50), ms(o.p99))
	}
	o := triv.over
	p("| (c) trivial at 2 × its max = %d/s | errors / ok, p99 | | %d / %d, %s | |\n", o.rate, errs(o), o.ok, ms(o.p99))
	p("| (d) memory RSS at start / after logins / peak in ramp+overload / %s after | | %s / %s / %s / %s | %s / %s / %s / %s | |\n", c.settle,
		mb(srv.fresh.rssKB), mb(srv.before.rssKB), mb(srv.during.rssKB), mb(srv.after.rssKB), mb(triv.fresh.rssKB), mb(triv.before.rssKB), mb(triv.during.rssKB), mb(triv.after.rssKB))
	p("| (d) open handles at start / after logins / peak in ramp+overload / %s after | | %d / %d / %d / %d | %d / %d / %d / %d | |\n\n", c.settle,
		srv.fresh.fds, srv.before.fds, srv.during.fds, srv.after.fds, triv.fresh.fds, triv.before.fds, triv.during.fds, triv.after.fds)
	p("✓ marks a ramp step that passes (p99 < 50 ms, no error); the ramp of a target stops at its\n")
	p("first failing step. CPU is the target's processes' user + system time over the step's wall time.\n")
	p("Errors are 503 (shed), other 5xx, other statuses and transport errors together.\n\n")

	p("Goals:\n\n")
	p("- 100 idle syncs/s at p99 < 10 ms: %s (p99 %s).\n", met(srv.idle.p99 < 10*time.Millisecond && errs(srv.idle) == 0), ms(srv.idle.p99))
	if triv.max == 0 {
		p("- Max sustainable ≥ 70 %% of the trivial handler's: **undetermined** — the trivial handler did not\n  sustain even the lowest step (%d/s), so this run measured the machine, not the server (server: %d req/s).\n", c.ramp[0], srv.max)
	} else {
		p("- Max sustainable ≥ 70 %% of the trivial handler's: %s (%d vs %d req/s, %s).\n", met(float64(srv.max) >= 0.7*float64(triv.max)), srv.max, triv.max, ratio(srv.max, triv.max))
	}
	leak := srv.after.fds > srv.before.fds+10 || srv.after.rssKB > srv.before.rssKB*2+50*1024
	p("- At 2 × the max: no 500 — %s (%d); no leak — %s (handles %d → %d, RSS %s → %s, %s after).\n\n",
		met(srv.over.server5xx == 0), srv.over.server5xx, met(!leak), srv.before.fds, srv.after.fds, mb(srv.before.rssKB), mb(srv.after.rssKB), c.settle)
	p("%s\n", sectionEnd(c.label))
	return os.WriteFile(c.doc, []byte(placeSection(readOr(c.doc), c.label, b.String())), 0o644)
}

// header is the start of a document that has no set-up's section yet.
const header = `# Load test results

Issue 11 part 7. Each section below is one set-up's run, written by build/loadtest
between its markers; a run rewrites its own section only.

- **The load generator and the target run on one machine.** With two cores or more,
  ` + "`make load`" + ` pins them apart after the logins (taskset): the generator on one core,
  the target — the set-up's servers, then the trivial handler — on another, so that
  neither takes the other's CPU (each section says how its run was placed). Other work
  on the machine still shares the cores: every figure is a floor.
- The trivial handler is a separate Go process (` + "`loadtest trivial`" + `) answering every GET
  with the bytes of a real idle sync and every POST with those of a real push: the
  machine's ceiling for this request mix. Each phase runs against the set-up, then the
  trivial handler, with the same load, in the same run.
- Load: open loop (requests are sent when due whatever the answers; a latency counts from
  when the request was due), one goroutine per request in flight. An idle sync is
  ` + "`GET /api/v1/changes?cursor=C`" + ` with the organisation's current cursor (an empty page);
  a push is ` + "`POST /api/v1/push`" + ` of one message to an NC. One organisation in ten pushes,
  the others sync only, so their syncs stay idle.
- ✓ marks a ramp step that passes (p99 < 50 ms, no error); the ramp of a target stops at
  its first failing step. CPU is the target's processes' user + system time over the
  step's wall time. Errors are 503 (shed), other 5xx, other statuses and transport errors
  together. Memory and handles of several nodes are their sums.

`

func sectionBegin(label string) string { return "<!-- load:begin " + label + " -->" }
func sectionEnd(label string) string   { return "<!-- load:end " + label + " -->" }

func readOr(path string) string {
	raw, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(raw)
}

// placeSection returns doc with label's section replaced by section, or added before
// the hand-written notes when it has none. A document with no section at all (an older
// one) gets the header, and keeps only its notes.
func placeSection(doc, label, section string) string {
	begin, end := sectionBegin(label), sectionEnd(label)
	if i := strings.Index(doc, begin); i >= 0 {
		if j := strings.Index(doc[i:], end); j >= 0 {
			rest := strings.TrimPrefix(doc[i+j+len(end):], "\n")
			return doc[:i] + section + rest
		}
	}
	generated, notes, _ := strings.Cut(doc, handMarker+"\n")
	// Only the generated part counts: the notes may quote the markers.
	if !strings.Contains(generated, "<!-- load:begin ") {
		return header + section + "\n" + handMarker + "\n" + notes
	}
	before, _, _ := strings.Cut(doc, handMarker)
	return strings.TrimRight(before, "\n") + "\n\n" + section + "\n" + handMarker + "\n" + notes
}

// handMarker ends the generated part of the document.
const handMarker = "<!-- Above: written by build/loadtest. Below: notes kept across runs. -->"

func errs(r result) int { return r.sent - r.ok }

func mark(ok bool) string {
	if ok {
		return " ✓"
	}
	return " ✗"
}

func met(ok bool) string {
	if ok {
		return "**met**"
	}
	return "**not met**"
}

func ratio(a, b int) string {
	if b == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f %%", 100*float64(a)/float64(b))
}

func cpuModel() string {
	raw, _ := os.ReadFile("/proc/cpuinfo")
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
		}
	}
	return "unknown CPU"
}
