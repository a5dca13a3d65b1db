package main

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// results holds, per benchmark (name without its -GOMAXPROCS suffix) and per unit, the
// value of every run, in the order read.
type results map[string]map[string][]float64

// resultLine is `Benchmark<Name>[-N] <iterations> (<value> <unit>)+`. The name may be
// printed alone first when the benchmark logs while it runs; its figures then follow on
// a line of their own (`<iterations> (<value> <unit>)+`).
var (
	nameRe    = regexp.MustCompile(`^(Benchmark\S*?)(-\d+)?(?:\s+|$)(.*)$`)
	figuresRe = regexp.MustCompile(`^\s*(\d+)((?:\s+[-+0-9.eE]+\s+\S+)+)\s*$`)
)

// parse adds the runs of Go benchmark output r to res. It refuses output in which a
// test or a benchmark failed: a table must not be made of a broken run.
func (res results) parse(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	pending := ""
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "FAIL") || strings.HasPrefix(strings.TrimSpace(line), "--- FAIL") {
			return fmt.Errorf("failed run: %s", line)
		}
		name, rest := "", line
		if m := nameRe.FindStringSubmatch(line); m != nil {
			name, rest = m[1], m[3]
		} else if pending != "" {
			name = pending
		}
		if name == "" {
			continue
		}
		f := figuresRe.FindStringSubmatch(rest)
		if f == nil {
			// The name alone, or with a log line after it: its figures come later.
			if strings.HasPrefix(line, "Benchmark") {
				pending = name
			}
			continue
		}
		pending = ""
		fields := strings.Fields(f[2])
		run := map[string]float64{}
		for i := 0; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				return fmt.Errorf("%q: %v", line, err)
			}
			run[fields[i+1]] = v
		}
		if res[name] == nil {
			res[name] = map[string][]float64{}
		}
		for unit, v := range run {
			res[name][unit] = append(res[name][unit], v)
		}
	}
	return sc.Err()
}

// metrics are the medians of one benchmark's units over its runs.
type metrics struct {
	median map[string]float64
	runs   int
}

func (res results) metrics(name string) (metrics, bool) {
	units, ok := res[name]
	if !ok {
		return metrics{}, false
	}
	m := metrics{median: map[string]float64{}}
	for unit, vs := range units {
		m.median[unit] = median(vs)
		m.runs = max(m.runs, len(vs))
	}
	return m, true
}

// median of vs (not changed); the mean of the two middle values for an even count.
func median(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// show formats the parts of a row whose unit the benchmark reported, joined by ", ".
// The first, the headline figure, is bold when bold is set.
func (m metrics) show(parts []part, bold bool) string {
	var out []string
	for _, p := range parts {
		v, ok := m.median[p.unit]
		if !ok {
			continue
		}
		s := p.show(v)
		if bold && len(out) == 0 {
			s = "**" + s + "**"
		}
		out = append(out, s+p.label)
	}
	return strings.Join(out, ", ")
}

// table is the Markdown table of res: the rows of the rows table in its order (those
// that did not run say so), then any other benchmark with its figures as they are.
func table(res results) string {
	var b strings.Builder
	b.WriteString("| what | figure (median) | target / reference (same run) | runs |\n|---|---|---|---|\n")
	known := map[string]bool{}
	for _, r := range rows {
		known[r.bench] = true
		m, ok := res.metrics(r.bench)
		if !ok {
			fmt.Fprintf(&b, "| %s | not run | %s | 0 |\n", r.what, cmp.Or(r.target, "—"))
			continue
		}
		ref := m.show(r.ref, false)
		if r.target != "" {
			ref = strings.TrimPrefix(ref+"; "+r.target, "; ")
		}
		if ref == "" {
			ref = "—"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %d |\n", r.what, m.show(r.figure, true), ref, m.runs)
	}
	var others []string
	for name := range res {
		if !known[name] {
			others = append(others, name)
		}
	}
	slices.Sort(others)
	for _, name := range others {
		m, _ := res.metrics(name)
		units := make([]string, 0, len(m.median))
		for u := range m.median {
			units = append(units, u)
		}
		slices.Sort(units)
		var figs []string
		for _, u := range units {
			figs = append(figs, num(m.median[u])+" "+u)
		}
		fmt.Fprintf(&b, "| `%s` | %s | — | %d |\n", name, strings.Join(figs, ", "), m.runs)
	}
	return b.String()
}

const (
	beginMark = "<!-- bench:begin -->"
	endMark   = "<!-- bench:end -->"
)

// rewrite replaces what lies between the markers of doc with section; the rest of doc,
// the hand-written prose, is kept as it is.
func rewrite(doc, section string) (string, error) {
	i := strings.Index(doc, beginMark)
	j := strings.Index(doc, endMark)
	if i < 0 || j < i || strings.Count(doc, beginMark) != 1 || strings.Count(doc, endMark) != 1 {
		return "", fmt.Errorf("the document needs one %s and, after it, one %s", beginMark, endMark)
	}
	return doc[:i+len(beginMark)] + "\n" + strings.TrimSpace(section) + "\n" + doc[j:], nil
}
