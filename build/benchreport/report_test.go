package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Output of `go test -bench -count 3`, with what go test prints around it, a benchmark
// whose name and figures a log line split, a sub-benchmark, and a UI line as
// build/scripts/bench-ui.sh writes it.
const output = `goos: linux
goarch: amd64
pkg: github.com/ecert-desktop/ecert-desktop/app
cpu: AMD EPYC
BenchmarkIdleSync-2   	      10	   1400000 ns/op	         1.000 requests/op	        41.00 wire-B/op
BenchmarkIdleSync-2   	      10	   1600000 ns/op	         1.000 requests/op	        43.00 wire-B/op
BenchmarkIdleSync-2   	      10	   1200000 ns/op	         1.000 requests/op	        45.00 wire-B/op
BenchmarkUpload50MB-2   	2026/11/27 11:00:00 some log line
       3	 195425247 ns/op	       278.4 put-MB/s	       267.9 tus-MB/s	         0.9622 tus/put
BenchmarkUpload50MB-2   	       3	 221834355 ns/op	       289.5 put-MB/s	       236.2 tus-MB/s	         0.8157 tus/put
BenchmarkLocalServices/OpenNC-2         	      10	    900000 ns/op	         1.500 p99-ms
BenchmarkLocalServices/OpenNC-2         	      10	    800000 ns/op	         1.300 p99-ms
PASS
ok  	github.com/ecert-desktop/ecert-desktop/app	61.0s
`

const uiOutput = "BenchmarkUIListScroll 1 16.7 frame-p95-ms 120 filter-ms\nBenchmarkAppColdStart 1 2300 ms-to-dashboard 210 rss-MB\nBenchmarkSomethingNew 1 7 widgets\n" +
	"BenchmarkUIPartnerSearch 1 131.5 ms-mean 142.3 ms-p99 9.1 search-ms-mean 14.2 search-ms-p99 35 keystrokes 30002 operators\n"

func parsed(t *testing.T, texts ...string) results {
	t.Helper()
	res := results{}
	for _, text := range texts {
		if err := res.parse(strings.NewReader(text)); err != nil {
			t.Fatal(err)
		}
	}
	return res
}

func TestParse(t *testing.T) {
	res := parsed(t, output, uiOutput)
	for _, c := range []struct {
		bench, unit string
		want        []float64
	}{
		// Runs of a benchmark, the -GOMAXPROCS suffix gone.
		{"BenchmarkIdleSync", "ns/op", []float64{1400000, 1600000, 1200000}},
		{"BenchmarkIdleSync", "wire-B/op", []float64{41, 43, 45}},
		// Figures on the line after a log line.
		{"BenchmarkUpload50MB", "tus/put", []float64{0.9622, 0.8157}},
		// A sub-benchmark.
		{"BenchmarkLocalServices/OpenNC", "p99-ms", []float64{1.5, 1.3}},
		// Lines without a suffix (the UI's).
		{"BenchmarkUIListScroll", "frame-p95-ms", []float64{16.7}},
		{"BenchmarkAppColdStart", "rss-MB", []float64{210}},
	} {
		got := res[c.bench][c.unit]
		if len(got) != len(c.want) {
			t.Errorf("%s %s: got %v, want %v", c.bench, c.unit, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s %s: got %v, want %v", c.bench, c.unit, got, c.want)
				break
			}
		}
	}
	if len(res) != 7 {
		t.Errorf("got %d benchmarks, want 7: %v", len(res), res)
	}
}

func TestParseRefusesAFailedRun(t *testing.T) {
	for _, text := range []string{
		output + "--- FAIL: BenchmarkIdleSync\n",
		output + "FAIL\tgithub.com/ecert-desktop/ecert-desktop/app\t1.0s\n",
	} {
		if err := (results{}).parse(strings.NewReader(text)); err == nil {
			t.Errorf("no error for %q", text[len(output):])
		}
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{
		{[]float64{5}, 5},
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{10, 1, 1, 1, 10}, 1},
		{nil, 0},
	} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v): got %v, want %v", c.in, got, c.want)
		}
	}
}

func TestTable(t *testing.T) {
	tab := table(parsed(t, output, uiOutput))
	for _, want := range []string{
		// The median of each figure, the target beside it, the number of runs.
		"| idle incremental sync | **1 request**, 43 B body, 1.4 ms | 1 round trip, ≤ 2 KB | 3 |",
		// The reference measured in the same run beside the figure.
		"| **252** MB/s | 284 MB/s for a plain HTTP PUT of the same file to the same server, stored and hashed, **88.9 %** of it; ≥ 90 % of the storing PUT | 2 |",
		"| **1.4 ms** p99, 0.85 ms mean | p99 in milliseconds | 2 |",
		"| **16.7 ms** p95 | 60 frames a second: 16.7 ms a frame | 1 |",
		// The partner search in the window: its goal, with the part after the page's wait.
		"| **142 ms** p99, 132 ms mean, 35 keystrokes | 14.2 ms p99 from the page's search call to the rows shown; p99 ≤ 20 ms | 1 |",
		// A benchmark the rows table does not know, as it is.
		"| `BenchmarkSomethingNew` | 7 widgets | — | 1 |",
		// One that did not run.
		"| the same through toxiproxy at 300 ms round trip and 1 Mbit/s | not run |",
	} {
		if !strings.Contains(tab, want) {
			t.Errorf("table lacks %q:\n%s", want, tab)
		}
	}
	if n := strings.Count(tab, "\n"); n != 2+len(rows)+1 {
		t.Errorf("%d lines, want %d:\n%s", n, 2+len(rows)+1, tab)
	}
}

func TestNum(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{0, "0"}, {41, "41"}, {1.5, "1.5"}, {0.4412, "0.441"}, {267.9, "268"},
		{12345.6, "12,346"}, {52428800, "52,428,800"}, {-2.5, "-2.5"},
	} {
		if got := num(c.in); got != c.want {
			t.Errorf("num(%v): got %q, want %q", c.in, got, c.want)
		}
	}
}

func TestRewrite(t *testing.T) {
	doc := "# Benchmarks\n\nProse before.\n\n" + beginMark + "\nold table\n" + endMark + "\n\n## What changed the figures\n\nProse after.\n"
	got, err := rewrite(doc, "new table\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "# Benchmarks\n\nProse before.\n\n" + beginMark + "\nnew table\n" + endMark + "\n\n## What changed the figures\n\nProse after.\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// Rewriting again changes only the section.
	if again, _ := rewrite(got, "newer\n"); again != strings.Replace(want, "new table", "newer", 1) {
		t.Errorf("second rewrite:\n%s", again)
	}
	for _, bad := range []string{
		"no markers",
		endMark + "\n" + beginMark,
		beginMark + beginMark + endMark,
		beginMark + "\nno end",
	} {
		if _, err := rewrite(bad, "x"); err == nil {
			t.Errorf("no error for %q", bad)
		}
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "BENCHMARKS.md")
	os.WriteFile(doc, []byte("Prose.\n"+beginMark+"\n"+endMark+"\nMore prose.\n"), 0o644)
	in := filepath.Join(dir, "bench.txt")
	os.WriteFile(in, []byte(output), 0o644)
	if err := run(doc, []string{in}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(doc)
	text := string(b)
	if !strings.HasPrefix(text, "Prose.\n"+beginMark+"\nMachine: ") || !strings.HasSuffix(text, endMark+"\nMore prose.\n") ||
		!strings.Contains(text, "| idle incremental sync |") {
		t.Errorf("document:\n%s", text)
	}
	if err := run(doc, []string{filepath.Join(dir, "none.txt")}); err == nil {
		t.Error("no error for a missing input")
	}
}
