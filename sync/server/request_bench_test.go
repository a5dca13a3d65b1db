package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// The CPU one request of the load run costs the server (sync/LOAD.md): the real handler
// over loopback HTTP, a real SQLite store, a real token. Profile with
//
//	go test ./sync/server -run '^$' -bench 'Request' -cpuprofile cpu.out
//
// "cpu-µs/op" is the process's CPU (user + system) per request: the server's and the
// client's together, as both run in the test; the profile tells them apart.

// BenchmarkRequestIdleSync is the request most clients send: GET /changes at the end of
// the organisation's change log, answering an empty page.
func BenchmarkRequestIdleSync(b *testing.B) {
	url, token := benchServer(b)
	hc := &http.Client{}
	cursor := ""
	for {
		var page api.ChangesPage
		benchDo(b, hc, http.MethodGet, url+"/changes?cursor="+cursor, token, nil, &page)
		cursor = page.Cursor
		if !page.More {
			break
		}
	}
	req := url + "/changes?cursor=" + cursor
	benchLoop(b, func() {
		var page api.ChangesPage
		benchDo(b, hc, http.MethodGet, req, token, nil, &page)
		if len(page.Changes) != 0 {
			b.Fatalf("idle sync: %d changes", len(page.Changes))
		}
	})
}

// BenchmarkRequestIdleSyncConcurrent is the idle sync from 16 clients at once, as under
// load: requests overlap, and the server's pools (database connections) work as they
// do then.
func BenchmarkRequestIdleSyncConcurrent(b *testing.B) {
	url, token := benchServer(b)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var page api.ChangesPage
	for page.Cursor == "" || page.More {
		benchDo(b, hc, http.MethodGet, url+"/changes?cursor="+page.Cursor, token, nil, &page)
	}
	req := url + "/changes?cursor=" + page.Cursor
	b.SetParallelism(16 / runtime.GOMAXPROCS(0))
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			var page api.ChangesPage
			if err := send(hc, http.MethodGet, req, token, nil, &page); err != nil {
				b.Error(err)
				return
			}
			if len(page.Changes) != 0 {
				b.Errorf("idle sync: %d changes", len(page.Changes))
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-start).Microseconds())/float64(b.N), "cpu-µs/op")
}

// BenchmarkRequestPush is a push of one message to an NC, answered after its commit.
func BenchmarkRequestPush(b *testing.B) {
	url, token := benchServer(b)
	hc := &http.Client{}
	var seq int64
	benchLoop(b, func() {
		seq++
		body, _ := json.Marshal(api.PushRequest{ClientID: clientA, Entries: []api.PushEntry{{
			Seq: seq, Kind: api.KindMessage, NCID: ncOpen, Text: "message " + strconv.FormatInt(seq, 10), CreatedAt: time.Now().UTC()}}})
		var pr api.PushResponse
		benchDo(b, hc, http.MethodPost, url+"/push", token, body, &pr)
		if len(pr.Results) != 1 || pr.Results[0].Status != api.PushApplied {
			b.Fatalf("push: %+v", pr.Results)
		}
	})
}

// BenchmarkRequestPushConcurrent is pushes from 8 replicas at once: their write
// transactions queue for the database's one writer.
func BenchmarkRequestPushConcurrent(b *testing.B) {
	url, token := benchServer(b)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var replica atomic.Int64
	b.SetParallelism(8 / runtime.GOMAXPROCS(0))
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		client := "bench-replica-" + strconv.FormatInt(1000+replica.Add(1), 10)
		var seq int64
		for pb.Next() {
			seq++
			body, _ := json.Marshal(api.PushRequest{ClientID: client, Entries: []api.PushEntry{{
				Seq: seq, Kind: api.KindMessage, NCID: ncOpen, Text: "message " + strconv.FormatInt(seq, 10), CreatedAt: time.Now().UTC()}}})
			var pr api.PushResponse
			if err := send(hc, http.MethodPost, url+"/push", token, body, &pr); err != nil {
				b.Error(err)
				return
			}
			if len(pr.Results) != 1 || pr.Results[0].Status != api.PushApplied {
				b.Errorf("push: %+v", pr.Results)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-start).Microseconds())/float64(b.N), "cpu-µs/op")
}

// benchServer starts a server with the demo data and returns its API's URL and a
// token of the client user coop.
func benchServer(b *testing.B) (url, token string) {
	srv := servertest.Start(b)
	url = srv.URL + api.Version
	body, _ := json.Marshal(api.LoginRequest{Username: "coop", Password: "coop"})
	var s api.Session
	benchDo(b, &http.Client{}, http.MethodPost, url+"/auth/login", "", body, &s)
	return url, s.AccessToken
}

// benchLoop runs one request b.N times and reports the process's CPU per request.
func benchLoop(b *testing.B, request func()) {
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for b.Loop() {
		request()
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-start).Microseconds())/float64(b.N), "cpu-µs/op")
}

// benchDo sends a request as the load generator does (Go's client: gzip accepted) and
// decodes its JSON answer into v; anything but 200 fails the benchmark.
func benchDo(b *testing.B, hc *http.Client, method, url, token string, body []byte, v any) {
	if err := send(hc, method, url, token, body, v); err != nil {
		b.Fatal(err)
	}
}

// send is benchDo's request, for the goroutines of RunParallel, which may not Fatal.
func send(hc *http.Client, method, url, token string, body []byte, v any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s %s", method, url, res.Status, raw)
	}
	return json.Unmarshal(raw, v)
}
