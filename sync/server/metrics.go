package server

import (
	"bufio"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/server/httpjson"
)

// The server's metrics, served at GET /metrics in Prometheus' text format (version
// 0.0.4): requests and latencies per route, requests in flight and shed, the
// database's connection pool, uploads in progress. Counters live in memory and start
// at zero with the process, as Prometheus expects of counters.

// MetricsPath is where the metrics are served (outside the API's version prefix).
const MetricsPath = "/metrics"

// latencyBuckets are the upper bounds, in seconds, of the latency histograms.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// Route labels of requests outside the API's table.
const (
	routeConsole = "console"
	routeOther   = "other"
)

// poolStats is what the metrics need of a store with a connection pool
// (store/sqlite's Stats). A store without one reports no pool metrics.
type poolStats interface {
	Stats() sql.DBStats
}

type metrics struct {
	routes   map[string]*routeMetrics // fixed at start: read without a lock
	inFlight atomic.Int64             // admitted API requests being served
	shed     atomic.Int64             // requests refused by the admission limit
	uploads  atomic.Int64             // upload chunks (PATCH) being received
}

// routeMetrics counts one route's requests by status, and their latencies.
type routeMetrics struct {
	mu      sync.Mutex
	byCode  map[int]int64
	buckets []int64 // per latencyBuckets, not cumulative
	sum     float64 // seconds
	count   int64
}

func newMetrics(labels []string) *metrics {
	m := &metrics{routes: map[string]*routeMetrics{}}
	for _, l := range append(labels, routeConsole, routeOther, MetricsPath, ReadyPath) {
		m.routes[l] = &routeMetrics{byCode: map[int]int64{}, buckets: make([]int64, len(latencyBuckets))}
	}
	return m
}

func (rm *routeMetrics) observe(status int, d time.Duration) {
	sec := d.Seconds()
	rm.mu.Lock()
	defer rm.mu.Unlock()
	rm.byCode[status]++
	rm.count++
	rm.sum += sec
	if i, _ := slices.BinarySearch(latencyBuckets, sec); i < len(latencyBuckets) {
		rm.buckets[i]++
	}
}

// measured counts the requests of the route labelled label and their latencies (the
// time to the handler's return, the body written).
func (s *Server) measured(label string, next http.Handler) http.Handler {
	rm := s.metrics.routes[label]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec, ok := w.(*httpjson.Recorder)
		if !ok {
			rec = &httpjson.Recorder{ResponseWriter: w}
		}
		defer func() {
			status := rec.Status
			if v := recover(); v != nil {
				rm.observe(http.StatusInternalServerError, time.Since(start))
				panic(v) // logRequests answers and logs it
			}
			if status == 0 {
				status = http.StatusOK // nothing written: net/http answers 200
			}
			rm.observe(status, time.Since(start))
		}()
		next.ServeHTTP(rec, r)
	})
}

// countUploads counts the requests of next as uploads in progress.
func (s *Server) countUploads(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.metrics.uploads.Add(1)
		defer s.metrics.uploads.Add(-1)
		next.ServeHTTP(w, r)
	})
}

// handleMetrics serves the metrics. They tell an outsider how busy the server is and
// which routes are used: unless Config.PublicMetrics, only a peer on this machine
// that no proxy forwarded gets them; others get the API's 404.
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	if !s.publicMetrics && !localPeer(r) {
		s.writeError(w, r, errNoRoute)
		return
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	bw := bufio.NewWriter(w)
	s.writeMetrics(bw)
	bw.Flush()
}

// localPeer reports whether r comes straight from this machine: a loopback peer and
// no forwarding header (a reverse proxy on the same machine would set one).
func localPeer(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return false
	}
	for _, h := range []string{"Forwarded", "X-Forwarded-For", "X-Real-Ip"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	return true
}

func (s *Server) writeMetrics(w *bufio.Writer) {
	m := s.metrics
	labels := make([]string, 0, len(m.routes))
	for l := range m.routes {
		labels = append(labels, l)
	}
	slices.Sort(labels)

	header(w, "ecert_http_requests_total", "counter", "HTTP requests answered, by route and status.")
	for _, l := range labels {
		rm := m.routes[l]
		rm.mu.Lock()
		codes := make([]int, 0, len(rm.byCode))
		for c := range rm.byCode {
			codes = append(codes, c)
		}
		slices.Sort(codes)
		for _, c := range codes {
			fmt.Fprintf(w, "ecert_http_requests_total{route=%s,code=\"%d\"} %d\n", quote(l), c, rm.byCode[c])
		}
		rm.mu.Unlock()
	}

	header(w, "ecert_http_request_duration_seconds", "histogram", "Time to answer HTTP requests, by route.")
	for _, l := range labels {
		rm := m.routes[l]
		rm.mu.Lock()
		if rm.count > 0 {
			var cum int64
			for i, le := range latencyBuckets {
				cum += rm.buckets[i]
				fmt.Fprintf(w, "ecert_http_request_duration_seconds_bucket{route=%s,le=\"%s\"} %d\n", quote(l), float(le), cum)
			}
			fmt.Fprintf(w, "ecert_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", quote(l), rm.count)
			fmt.Fprintf(w, "ecert_http_request_duration_seconds_sum{route=%s} %s\n", quote(l), float(rm.sum))
			fmt.Fprintf(w, "ecert_http_request_duration_seconds_count{route=%s} %d\n", quote(l), rm.count)
		}
		rm.mu.Unlock()
	}

	gauge(w, "ecert_http_requests_in_flight", "API requests being served (admitted by the in-flight limit).", m.inFlight.Load())
	counter(w, "ecert_http_requests_shed_total", "API requests refused with 503 overloaded by the in-flight limit.", m.shed.Load())
	if s.admit != nil {
		gauge(w, "ecert_http_requests_max_in_flight", "The in-flight limit.", int64(cap(s.admit.slots)))
	}
	gauge(w, "ecert_uploads_in_progress", "Upload chunks (tus PATCH) being received.", m.uploads.Load())

	if ps, ok := s.store.(poolStats); ok {
		st := ps.Stats()
		gauge(w, "ecert_db_connections_max_open", "The database pool's bound on open connections.", int64(st.MaxOpenConnections))
		gauge(w, "ecert_db_connections_open", "Open database connections.", int64(st.OpenConnections))
		gauge(w, "ecert_db_connections_in_use", "Database connections in use.", int64(st.InUse))
		gauge(w, "ecert_db_connections_idle", "Idle database connections.", int64(st.Idle))
		counter(w, "ecert_db_connection_waits_total", "Waits for a free database connection.", st.WaitCount)
		header(w, "ecert_db_connection_wait_seconds_total", "counter", "Time spent waiting for a free database connection.")
		fmt.Fprintf(w, "ecert_db_connection_wait_seconds_total %s\n", float(st.WaitDuration.Seconds()))
		counter(w, "ecert_db_connections_closed_idle_total", "Connections closed after idling (pool shrinking after load).",
			st.MaxIdleClosed+st.MaxIdleTimeClosed)
	}
}

func header(w *bufio.Writer, name, kind, help string) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, kind)
}

func gauge(w *bufio.Writer, name, help string, v int64) {
	header(w, name, "gauge", help)
	fmt.Fprintf(w, "%s %d\n", name, v)
}

func counter(w *bufio.Writer, name, help string, v int64) {
	header(w, name, "counter", help)
	fmt.Fprintf(w, "%s %d\n", name, v)
}

func float(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// quote is a label value in the text format: quoted, with \, " and newlines escaped.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}
