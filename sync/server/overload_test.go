package server_test

import (
	"bufio"
	"bytes"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store/sqlite"
)

// A burst far beyond the in-flight limit degrades: some requests are shed with 503
// overloaded and Retry-After, the others are answered, none fails with 500; the
// database's pool stays within its bound, and once the burst is over its connections
// go back to the idle level.
func TestOverloadSheds(t *testing.T) {
	defer func(open, idle int, idleTime time.Duration) {
		sqlite.MaxOpenConns, sqlite.MaxIdleConns, sqlite.ConnMaxIdleTime = open, idle, idleTime
	}(sqlite.MaxOpenConns, sqlite.MaxIdleConns, sqlite.ConnMaxIdleTime)
	sqlite.MaxOpenConns, sqlite.MaxIdleConns, sqlite.ConnMaxIdleTime = 4, 1, 200*time.Millisecond
	e := newEnvWith(t, func(cfg *server.Config) {
		// Two slots and no real queue: on a busy machine requests trickle in, and a longer
		// wait would let every one of them through.
		cfg.MaxInFlight, cfg.QueueWait = 2, time.Microsecond
	})
	token := e.token("coop")

	const burst = 400
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: burst}}
	defer client.CloseIdleConnections()
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range burst {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r := e.doWith(client, "GET", "/changes?limit=50", token, nil)
			if r.status == http.StatusServiceUnavailable {
				var body api.Error
				decode(t, r.body, &body)
				if s, err := strconv.Atoi(r.header.Get("Retry-After")); body.Code != api.CodeOverloaded || err != nil || s < 1 {
					t.Errorf("shed answer: code %q, Retry-After %q", body.Code, r.header.Get("Retry-After"))
				}
			}
			mu.Lock()
			statuses[r.status]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	t.Logf("answers to %d concurrent requests: %v", burst, statuses)
	if statuses[http.StatusOK] == 0 || statuses[http.StatusServiceUnavailable] == 0 {
		t.Errorf("want some answered and some shed, got %v", statuses)
	}
	if statuses[http.StatusOK]+statuses[http.StatusServiceUnavailable] != burst {
		t.Errorf("answers other than 200 and 503: %v", statuses)
	}
	m := e.metrics()
	if got := m[`ecert_http_requests_shed_total`]; got != float64(statuses[http.StatusServiceUnavailable]) {
		t.Errorf("shed counter %v, want %d", got, statuses[http.StatusServiceUnavailable])
	}
	if got := m[`ecert_http_requests_total{route="GET /changes",code="503"}`]; got != float64(statuses[http.StatusServiceUnavailable]) {
		t.Errorf("503 of GET /changes counted %v, want %d", got, statuses[http.StatusServiceUnavailable])
	}
	if e.srv.Database() != "" {
		// The pool bound and idle level set above are SQLite's (package sqlite's
		// variables); PostgreSQL's pool has its own (--database-max-conns).
		t.Log("on PostgreSQL: the SQLite pool's bound and idle level are not checked")
	} else {
		checkSQLitePool(t, e)
	}
	if r := e.do("GET", "/changes", token, nil); r.status != http.StatusOK {
		t.Errorf("a request after the burst: %d %s", r.status, r.body)
	}
}

// checkSQLitePool checks the SQLite pool TestOverloadSheds set up: within its bound (4)
// through the burst, back to its idle level (1) after it.
func checkSQLitePool(t *testing.T, e *env) {
	t.Helper()
	m := e.metrics()
	if got := m["ecert_db_connections_max_open"]; got != 4 {
		t.Errorf("pool bound %v, want 4", got)
	}

	// After the burst the pool closes what idles, down to its idle level.
	deadline := time.Now().Add(5 * time.Second)
	for {
		m = e.metrics()
		if m["ecert_db_connections_in_use"] == 0 && m["ecert_db_connections_open"] <= 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the burst: %v open, %v in use; want at most 1 open (MaxIdleConns), none in use",
				m["ecert_db_connections_open"], m["ecert_db_connections_in_use"])
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// sampleRe is a sample line of Prometheus' text format: a name, optional labels, a
// value.
var sampleRe = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})?) (\S+)$`)

// metrics fetches /metrics, checks that every line is of the text format, and returns
// the samples by name and labels as written.
func (e *env) metrics() map[string]float64 {
	e.t.Helper()
	res, err := e.http.Client().Get(e.http.URL + server.MetricsPath)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		e.t.Fatalf("GET /metrics: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "# HELP ") || strings.HasPrefix(line, "# TYPE ") {
			continue
		}
		m := sampleRe.FindStringSubmatch(line)
		if m == nil {
			e.t.Fatalf("not a line of the text format: %q", line)
		}
		v, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			e.t.Fatalf("value of %q: %v", line, err)
		}
		out[m[1]] = v
	}
	return out
}

func TestMetrics(t *testing.T) {
	e := newEnv(t)
	health := `ecert_http_requests_total{route="GET /health",code="200"}`
	before := e.metrics()
	for range 3 {
		e.do("GET", "/health", "", nil)
	}
	after := e.metrics()
	if got := after[health] - before[health]; got != 3 {
		t.Errorf("%s went up by %v, want 3", health, got)
	}
	if after[`ecert_http_request_duration_seconds_count{route="GET /health"}`] < 3 ||
		after[`ecert_http_request_duration_seconds_bucket{route="GET /health",le="+Inf"}`] < 3 {
		t.Error("the latency histogram of GET /health did not count the requests")
	}
	for _, name := range []string{"ecert_http_requests_in_flight", "ecert_uploads_in_progress", "ecert_db_connections_open"} {
		if _, ok := after[name]; !ok {
			t.Errorf("no %s", name)
		}
	}

	// Only a peer on this machine, not forwarded by a proxy, gets them by default.
	req, _ := http.NewRequest("GET", e.http.URL+server.MetricsPath, nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	res, err := e.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	body.ReadFrom(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound || strings.Contains(body.String(), "ecert_") {
		t.Errorf("forwarded GET /metrics: %d %s", res.StatusCode, body.String())
	}
	pub := newEnvWith(t, func(cfg *server.Config) { cfg.PublicMetrics = true })
	req, _ = http.NewRequest("GET", pub.http.URL+server.MetricsPath, nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	if res, err := pub.http.Client().Do(req); err != nil || res.StatusCode != http.StatusOK {
		t.Errorf("forwarded GET /metrics with PublicMetrics: %v %v", res, err)
	} else {
		res.Body.Close()
	}
}
