package main

import (
	"math"
	"strconv"
	"strings"
)

// part is one figure of a row: a unit of the benchmark's output, how to show its value,
// and the words after it.
type part struct {
	unit  string
	show  func(v float64) string
	label string
}

// row is one line of the table: the benchmark it comes from, what it measures, its
// figures, the references measured in the same run, and the bar it must clear.
type row struct {
	bench  string
	what   string
	figure []part
	ref    []part
	target string
}

// rows maps benchmarks to the table's lines, in the table's order. Figures a run did not
// report are left out; a benchmark not listed here gets a line of its raw figures.
var rows = []row{
	{bench: "BenchmarkIdleSync", what: "idle incremental sync",
		figure: []part{{"requests/op", requests, ""}, {"wire-B/op", bodyBytes, ""}, {"ns/op", duration, ""}},
		target: "1 round trip, ≤ 2 KB"},
	{bench: "BenchmarkIdleSyncLarge", what: "the same idle sync on the large organisation's replica (in the process: what grows with the replica)",
		figure: []part{{"requests/op", requests, ""}, {"wire-B/op", bodyBytes, ""}, {"ns/op", duration, ""}},
		target: "as the small replica's"},
	{bench: "BenchmarkOneChangedNCPulled", what: "one changed item pulled (an analyst's message)",
		figure: []part{{"requests/op", requests, ""}, {"wire-B/op", bodyBytes, ""}, {"ns/op", duration, ""}},
		target: "its own bytes + ≤ 300 B, 1 round trip"},
	{bench: "BenchmarkInitialSyncLargeOrg", what: "initial sync, 5,000 NCs + 20,000 messages + 2,000 evidence records, loopback",
		figure: []part{{"ns/op", duration, ""}, {"wire-B/op", size, " on the wire (gzip)"}},
		target: "a few seconds"},
	{bench: "BenchmarkInitialSyncPoorLink", what: "the same through toxiproxy at 300 ms round trip and 1 Mbit/s",
		figure: []part{{"ns/op", duration, ""}, {"wire-B/op", size, ""}, {"requests/op", num, " requests"}},
		ref:    []part{{"bytes-bound-s", num, " s for the bytes alone at 1 Mbit/s"}, {"ratio", ratio, ""}},
		target: "bounded by bytes, not round trips (ratio near 1)"},
	// Whole processes of the headless app beside a reference run the same way, from
	// build/scripts/bench-cli.sh.
	{bench: "BenchmarkCLIFirstSync", what: "first sync of the large organisation into an empty replica, as a process (`ecert-desktop sync`), loopback",
		figure: []part{{"ns/op", duration, ""}},
		ref:    []part{{"curl-ms", ms, " for `curl` of the same pages (the changes, then the operator directory; gzip, to /dev/null)"}, {"ratio", ratio, ""}},
		target: "≤ 2× the raw download"},
	{bench: "BenchmarkCLIIdleSyncLarge", what: "idle sync as a process, on the large organisation's replica",
		figure: []part{{"ns/op", duration, ""}},
		ref:    []part{{"curl-ms", ms, " for `curl` of the same request"}, {"ratio", ratio, ""}},
		target: "≤ 1.3× curl, as on a small replica"},
	{bench: "BenchmarkCLIIdleSyncSmall", what: "the same on the demo's small replica (coop)",
		figure: []part{{"ns/op", duration, ""}},
		ref:    []part{{"curl-ms", ms, " for `curl` of the same request"}, {"ratio", ratio, ""}},
		target: "stated"},
	{bench: "BenchmarkCLIStatus", what: "`status --json` on the large organisation's replica, as a process",
		figure: []part{{"ns/op", duration, ""}},
		ref:    []part{{"sqlite3-ms", ms, " for `sqlite3` running the same 13 counts"}, {"ratio", ratio, ""}},
		target: "≤ 2× `sqlite3`"},
	{bench: "BenchmarkSHA256", what: "SHA-256 of 100 MB (Go, as the app hashes)",
		figure: []part{{"ns/op", duration, ""}, {"MB/s", num, " MB/s"}},
		ref:    []part{{"sha256sum-ms", num, " ms for `sha256sum` on the same file"}}},
	{bench: "BenchmarkLocalServices/ListAll5000NCs", what: "list all 5,000 NCs (the service the list screen calls)",
		figure: localFigures, target: "p99 in milliseconds"},
	{bench: "BenchmarkLocalServices/FilterCAsToSubmit", what: "filter \"a) CAs to submit\" over 5,000 NCs",
		figure: localFigures, target: "p99 in milliseconds"},
	{bench: "BenchmarkLocalServices/OpenNC", what: "open an NC (detail with thread and evidence)",
		figure: localFigures, target: "p99 in milliseconds"},
	{bench: "BenchmarkLocalServices/SaveDraft", what: "save a draft (autosave)",
		figure: localFigures, target: "p99 in milliseconds"},
	{bench: "BenchmarkPartnerSearch", what: "partner search over the copy of 30,002 operators, offline (the service the Partners page calls, 16 typical searches, each timed)",
		figure: []part{{"p99-ms", ms, " p99"}, {"mean-ms", ms, " mean"}}, target: "p99 ≤ 20 ms"},
	{bench: "BenchmarkDirectoryFirstPull", what: "first pull of the operator directory, 30,002 operators",
		figure: []part{{"wire-B/op", size, " on the wire (gzip)"}, {"requests/op", num, " requests"}, {"ns/op", duration, ""}},
		target: "≤ 1.5 MB"},
	{bench: "BenchmarkDirectory50Changes", what: "a later directory pull with 50 changed operators",
		figure: []part{{"requests/op", requests, ""}, {"wire-B/op", bodyBytes, ""}, {"ns/op", duration, ""}},
		target: "1 round trip, ≤ 10 KB"},
	{bench: "BenchmarkExportRegister/xlsx", what: "register of the 5,000 NCs as XLSX, written from the replica",
		figure: exportFigures, target: "seconds, memory that does not grow with the rows"},
	{bench: "BenchmarkExportRegister/pdf", what: "the same register as PDF (A4, numbered pages)",
		figure: exportFigures, target: "seconds, memory that does not grow with the rows"},
	{bench: "BenchmarkExportRegister/ics", what: "the deadlines calendar (.ics) of the large organisation",
		figure: exportFigures, target: "stated"},
	{bench: "BenchmarkUpload50MB", what: "evidence upload, 50 MB, loopback: the app's sync through tus",
		figure: []part{{"tus-MB/s", num, " MB/s"}},
		ref: []part{{"put-MB/s", num, " MB/s for a plain HTTP PUT of the same file to the same server, stored and hashed"}, {"tus/put", strong(percent), " of it"},
			{"discard-MB/s", num, " MB/s for the same PUT to a receiver that discards it"}, {"tus/discard", percent, " of that"}},
		target: "≥ 90 % of the storing PUT"},
	{bench: "BenchmarkSendFirstByte", what: "`send` of one evidence file on the large organisation (3,000 NCs left behind): from Send to the file's first byte at the server",
		figure: []part{{"first-byte-ms", ms, ""}, {"send-ms", ms, " in Send itself"}},
		target: "≤ 20 ms, whatever the organisation's size"},
	{bench: "BenchmarkUploadCut5", what: "the same upload through toxiproxy, cut 5 times at random points",
		figure: []part{{"lost-chunks/op", num, " chunks"}, {"lost-B/op", size, " sent again (lost in flight at the cuts; headers included)"},
			{"resent-B/op", size, " received twice by the server"}},
		ref:    []part{{"chunk-B", times(5, size), " = 5 chunks (the size each sync starts with)"}},
		target: "bytes resent ≤ 5 chunks"},
	// The UI's, from build/scripts/bench-ui.sh (Chromium against the real backend).
	{bench: "BenchmarkUIListFirstRows", what: "NC list: first rows shown (5,000 NCs)",
		figure: []part{{"ms", ms, ""}}, target: "feels instant"},
	{bench: "BenchmarkUIListScroll", what: "NC list: frame times scrolling all 5,000 NCs",
		figure: []part{{"frame-p95-ms", ms, " p95"}, {"frame-median-ms", ms, " median"}, {"frame-max-ms", ms, " max"}, {"long-frames", num, " long frames"}},
		target: "60 frames a second: 16.7 ms a frame"},
	{bench: "BenchmarkUIListFilter", what: "NC list: a filter updates the rows",
		figure: []part{{"ms-p99", ms, " p99"}, {"ms-p50", ms, " median"}, {"filter-ms", ms, ""}}, target: "feels instant"},
	{bench: "BenchmarkUIListSearch", what: "NC list: a search updates the rows",
		figure: []part{{"ms-p99", ms, " p99"}, {"ms-p50", ms, " median"}}, target: "feels instant"},
	{bench: "BenchmarkUIPartnerSearch", what: "partner search typed letter by letter, offline (server stopped), 30,002 operators: a keystroke to its rows shown",
		figure: []part{{"ms-p99", ms, " p99"}, {"ms-mean", ms, " mean"}, {"keystrokes", num, " keystrokes"}},
		ref: []part{{"search-ms-p99", ms, " p99 from the page's search call to the rows shown"},
			{"call-ms-p99", ms, " p99 of that call until its answer reaches the page"}},
		target: "p99 ≤ 20 ms"},
	// The real window (production binary, WebKitGTK under Xvfb) on the large organisation.
	{bench: "BenchmarkAppColdStart", what: "cold start: launch to the dashboard shown, on a synced replica of the large organisation",
		figure: []part{{"ms-to-dashboard", ms, ""}, {"ms-to-main", ms, " to Go's main"}, {"ms-to-domready", ms, " to the page loaded"}},
		target: "stated"},
	{bench: "BenchmarkAppMemoryStarted", what: "resident memory, started on the synced replica (app + WebKit processes)",
		figure: []part{{"total-rss-MB", mb, " RSS"}, {"app-rss-MB", mb, " the app"}, {"webkit-rss-MB", mb, " WebKit"}, {"total-pss-MB", mb, " PSS"}},
		target: "stated"},
	{bench: "BenchmarkAppFullSync", what: "launch to the end of the window's own full sync of the large organisation (a replica with only the login)",
		figure: []part{{"ms-to-synced", ms, ""}}, target: "stated"},
	{bench: "BenchmarkAppMemory", what: "resident memory after that full sync (app + WebKit processes)",
		figure: []part{{"total-rss-MB", mb, " RSS"}, {"app-rss-MB", mb, " the app"}, {"webkit-rss-MB", mb, " WebKit"}, {"total-pss-MB", mb, " PSS"}},
		target: "stated"},
}

// exportFigures are those of the exports: the time, the file's size and the live heap's
// peak above the replica's.
var exportFigures = []part{{"ns/op", duration, ""}, {"file-MB", mb, " file"}, {"peak-heap-MB", mb, " peak heap"}}

// localFigures are those of the local services' benchmarks: the mean of a run's calls
// and its 99th percentile.
var localFigures = []part{{"p99-ms", ms, " p99"}, {"ns/op", duration, " mean"}}

// num shows v with three significant digits at most, and thousands separated.
func num(v float64) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	digits := max(0, 2-int(math.Floor(math.Log10(math.Abs(v)))))
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	for i := len(intPart) - 3; i > 0; i -= 3 {
		intPart = intPart[:i] + "," + intPart[i:]
	}
	if neg {
		intPart = "-" + intPart
	}
	if frac != "" {
		return intPart + "." + frac
	}
	return intPart
}

func ms(v float64) string { return num(v) + " ms" }

func mb(v float64) string { return num(v) + " MB" }

// duration shows nanoseconds in ms or s.
func duration(ns float64) string {
	if ns >= 1e9 {
		return num(ns/1e9) + " s"
	}
	return ms(ns / 1e6)
}

// size shows bytes in B, KB or MB (powers of 1000).
func size(b float64) string {
	switch {
	case math.Abs(b) >= 1e6:
		return num(b/1e6) + " MB"
	case math.Abs(b) >= 1e3:
		return num(b/1e3) + " KB"
	}
	return num(b) + " B"
}

func bodyBytes(b float64) string { return size(b) + " body" }

func requests(v float64) string {
	if v == 1 {
		return "1 request"
	}
	return num(v) + " requests"
}

func percent(v float64) string { return num(v*100) + " %" }

func ratio(v float64) string { return "ratio **" + num(v) + "**" }

// strong shows a reference's key figure in bold.
func strong(f func(float64) string) func(float64) string {
	return func(v float64) string { return "**" + f(v) + "**" }
}

func times(k float64, f func(float64) string) func(float64) string {
	return func(v float64) string { return f(k * v) }
}
