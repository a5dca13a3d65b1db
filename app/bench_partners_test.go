package app_test

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/partners"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
	"github.com/ecert-desktop/ecert-desktop/sync/server/directory"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// directoryServer starts a server with the demo's full directory (30,000 generated
// operators and the two demo organisations).
func directoryServer(b *testing.B) *servertest.Server {
	b.Helper()
	size := directory.DemoSize
	directory.DemoSize = 30000
	defer func() { directory.DemoSize = size }()
	return servertest.Start(b)
}

// pullDirectory pulls the directory after seq after as the engine does, and returns the
// new seq.
func pullDirectory(b *testing.B, c *client.Client, after int64) int64 {
	b.Helper()
	for {
		p, err := c.Directory(context.Background(), after, 0)
		if err != nil {
			b.Fatal(err)
		}
		after = p.After
		if !p.More {
			return after
		}
	}
}

func directoryClient(b *testing.B, url string) *client.Client {
	b.Helper()
	c, err := client.New(url)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.Login(context.Background(), "coop", "coop"); err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkDirectoryFirstPull: the whole directory, 30,002 operators, from seq 0.
func BenchmarkDirectoryFirstPull(b *testing.B) {
	srv := directoryServer(b)
	c := directoryClient(b, srv.URL)
	b.ResetTimer()
	for range b.N {
		reqs, bytes := srv.Requests.Load(), srv.Bytes.Load()
		pullDirectory(b, c, 0)
		b.ReportMetric(float64(srv.Bytes.Load()-bytes), "wire-B/op")
		b.ReportMetric(float64(srv.Requests.Load()-reqs), "requests/op")
	}
}

// BenchmarkDirectory50Changes: the pull after the analyst changed 50 operators'
// status (suspended, then reinstated on the next iteration).
func BenchmarkDirectory50Changes(b *testing.B) {
	srv := directoryServer(b)
	c := directoryClient(b, srv.URL)
	after := pullDirectory(b, c, 0)
	page, err := c.Directory(context.Background(), 0, 200)
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	for _, op := range page.Operators {
		if op.Status == "certified" && len(ids) < 50 {
			ids = append(ids, op.FLOID)
		}
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		for _, id := range ids {
			var err error
			if i%2 == 0 {
				_, err = srv.Directory().Suspend(ctx, id)
			} else {
				_, err = srv.Directory().Reinstate(ctx, id)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		reqs, bytes := srv.Requests.Load(), srv.Bytes.Load()
		b.StartTimer()
		after = pullDirectory(b, c, after)
		b.StopTimer()
		b.ReportMetric(float64(srv.Bytes.Load()-bytes), "wire-B/op")
		b.ReportMetric(float64(srv.Requests.Load()-reqs), "requests/op")
		b.StartTimer()
	}
}

// BenchmarkPartnerSearch: searches as a user types them, over the synced copy of the
// 30,002 operators, offline (the service the Partners page calls).
func BenchmarkPartnerSearch(b *testing.B) {
	srv := directoryServer(b)
	a := benchApp(b, srv.URL, "coop")
	if err := a.SyncOnce(context.Background(), nil, nil); err != nil {
		b.Fatal(err)
	}
	srv.SetDown(true)
	queries := []partners.PartnerSearch{
		{Text: "c"}, {Text: "co"}, {Text: "coop"}, {Text: "cooperativa"}, {Text: "cooperativa agraria"},
		{Text: "Coopérative des Planteurs du Mont Vert"}, {Text: "riviere"}, {Text: "afetal"}, {Text: "珈琲"},
		{Text: "3542"}, {Text: "1000"}, {Country: "PE"}, {Product: "coffee", Country: "ET"}, {Text: "union", Role: "producer"},
		{Text: "zzzz"}, {Text: `"mont" OR *`},
	}
	for _, q := range queries { // the page's first searches: caches filled
		if _, err := a.Partners.Search(q); err != nil {
			b.Fatal(err)
		}
	}
	// Each iteration times the 16 searches one by one: with make bench's 10 iterations the
	// p99 is over 160 searches, every kind of search in it, not over the first 10 only.
	var d []time.Duration
	b.ResetTimer()
	for range b.N {
		for _, q := range queries {
			t := time.Now()
			if _, err := a.Partners.Search(q); err != nil {
				b.Fatal(err)
			}
			d = append(d, time.Since(t))
		}
	}
	b.StopTimer()
	sorted := slices.Sorted(slices.Values(d))
	var sum time.Duration
	for _, v := range d {
		sum += v
	}
	b.ReportMetric(float64(sorted[len(d)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(sum.Microseconds())/1000/float64(len(d)), "mean-ms")
	if os.Getenv("ECERT_BENCH_SLOWEST") != "" { // which searches are slow, worst first
		worst := make([]time.Duration, len(queries))
		for j, v := range d {
			worst[j%len(queries)] = max(worst[j%len(queries)], v)
		}
		order := make([]int, len(queries))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(x, y int) int { return int(worst[y] - worst[x]) })
		for _, i := range order[:5] {
			b.Logf("%+v: worst %v", queries[i], worst[i])
		}
	}
}
