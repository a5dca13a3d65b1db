package app_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// Benchmarks of `make bench` (sync/BENCHMARKS.md holds the figures). They run against a
// real ecert-server on loopback with the large-organisation generator.

// largeServer starts a server with the benchmark organisation: 5,000 NCs, 20,000
// messages, 2,000 evidence records.
func largeServer(b *testing.B) *servertest.Server {
	b.Helper()
	srv := servertest.Start(b)
	if err := srv.GenerateLarge(context.Background(), server.GenerateOptions{Audits: 50, NCs: 5000, Messages: 20000, Evidence: 2000}); err != nil {
		b.Fatal(err)
	}
	return srv
}

func benchApp(b *testing.B, url, user string) *app.App {
	b.Helper()
	a := app.New(app.Config{DataDir: b.TempDir(), Platform: &recorder{}, Manual: true})
	if err := a.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	if _, err := a.Login(context.Background(), url, user, user); err != nil {
		b.Fatal(err)
	}
	return a
}

func BenchmarkInitialSyncLargeOrg(b *testing.B) {
	srv := largeServer(b)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		a := benchApp(b, srv.URL, "large")
		bytes0 := srv.Bytes.Load()
		b.StartTimer()
		if err := a.SyncOnce(context.Background(), nil, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		b.ReportMetric(float64(srv.Bytes.Load()-bytes0), "wire-B/op")
		a.Close()
		b.StartTimer()
	}
}

func BenchmarkIdleSync(b *testing.B) {
	srv := servertest.Start(b)
	a := benchApp(b, srv.URL, "coop")
	a.SyncOnce(context.Background(), nil, nil)
	reqs, bytes := srv.Requests.Load(), srv.Bytes.Load()
	b.ResetTimer()
	for range b.N {
		if err := a.SyncOnce(context.Background(), nil, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(srv.Requests.Load()-reqs)/float64(b.N), "requests/op")
	b.ReportMetric(float64(srv.Bytes.Load()-bytes)/float64(b.N), "wire-B/op")
}

func BenchmarkOneChangedNCPulled(b *testing.B) {
	srv := servertest.Start(b)
	a := benchApp(b, srv.URL, "coop")
	ctx := context.Background()
	a.SyncOnce(ctx, nil, nil)
	var requests, wire int64
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		if _, err := srv.AnalystMessage(ctx, "analyst", server.DemoOrgCoop, "NC-167140-2019", fmt.Sprintf("Message %d", i)); err != nil {
			b.Fatal(err)
		}
		reqs, bytes := srv.Requests.Load(), srv.Bytes.Load()
		b.StartTimer()
		if err := a.SyncOnce(ctx, nil, nil); err != nil {
			b.Fatal(err)
		}
		requests += srv.Requests.Load() - reqs
		wire += srv.Bytes.Load() - bytes
	}
	b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
	b.ReportMetric(float64(wire)/float64(b.N), "wire-B/op")
}

// localApp is the large organisation synced into a replica: the local services' bench.
func localApp(b *testing.B) *app.App {
	srv := largeServer(b)
	a := benchApp(b, srv.URL, "large")
	if err := a.SyncOnce(context.Background(), nil, nil); err != nil {
		b.Fatal(err)
	}
	return a
}

// p99 reports the 99th percentile of the op's durations in milliseconds.
func p99(b *testing.B, op func(i int)) {
	d := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		t := time.Now()
		op(i)
		d = append(d, time.Since(t))
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	b.ReportMetric(float64(d[len(d)*99/100].Microseconds())/1000, "p99-ms")
}

func BenchmarkLocalServices(b *testing.B) {
	a := localApp(b)
	ctx := context.Background()
	rows, err := a.NCs(ctx, app.FilterAll)
	if err != nil || len(rows) < 5000 {
		b.Fatalf("%d NCs, %v", len(rows), err)
	}
	var awaiting string
	for _, r := range rows {
		if r.NC.Stage == api.StageCARequested {
			awaiting = r.NC.ID
			break
		}
	}
	b.Run("ListAll5000NCs", func(b *testing.B) {
		p99(b, func(int) {
			if _, err := a.NCs(ctx, app.FilterAll); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("FilterCAsToSubmit", func(b *testing.B) {
		p99(b, func(int) {
			if _, err := a.NCs(ctx, app.FilterCA); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("OpenNC", func(b *testing.B) {
		p99(b, func(i int) {
			if _, err := a.NC(ctx, rows[i%len(rows)].NC.ID); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("SaveDraft", func(b *testing.B) {
		if awaiting == "" {
			b.Skip("no NC awaits a CA")
		}
		p99(b, func(i int) {
			if _, err := a.Autosave(ctx, awaiting, fmt.Sprintf("Mesure corrective, version %d", i)); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkSHA256 hashes 100 MB as the app does (Go's crypto/sha256) and reports the
// time of `sha256sum` on the same file in the same run.
func BenchmarkSHA256(b *testing.B) {
	path := filepath.Join(b.TempDir(), "100MB")
	f, _ := os.Create(path)
	buf := make([]byte, 1<<20)
	for i := range buf {
		buf[i] = byte(i * 31)
	}
	for range 100 {
		f.Write(buf)
	}
	f.Close()
	var tool time.Duration
	if _, err := exec.LookPath("sha256sum"); err == nil {
		start := time.Now()
		exec.Command("sha256sum", path).Run()
		tool = time.Since(start)
	}
	b.SetBytes(100 << 20)
	b.ResetTimer()
	for range b.N {
		f, _ := os.Open(path)
		h := sha256.New()
		io.Copy(h, f)
		f.Close()
	}
	b.ReportMetric(float64(tool.Milliseconds()), "sha256sum-ms")
}

// BenchmarkInitialSyncPoorLink is the initial sync of the large organisation through
// toxiproxy simulating a poor link: 300 ms round trip (150 ms each way) and 1 Mbit/s.
// It reports the time that the bytes alone need at that bandwidth, and the ratio: a
// sync bounded by bytes, not by round trips, has a ratio near 1.
func BenchmarkInitialSyncPoorLink(b *testing.B) {
	srv := largeServer(b)
	proxy := servertest.NewProxy(b, srv.URL)
	const bytesPerSecond = 1_000_000 / 8
	proxy.AddToxic("latency-down", "latency", "downstream", `"latency": 150`)
	proxy.AddToxic("latency-up", "latency", "upstream", `"latency": 150`)
	proxy.AddToxic("bandwidth-down", "bandwidth", "downstream", `"rate": 125`)
	proxy.AddToxic("bandwidth-up", "bandwidth", "upstream", `"rate": 125`)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		a := benchApp(b, proxy.URL, "large")
		reqs, wire := srv.Requests.Load(), srv.Bytes.Load()
		start := time.Now()
		b.StartTimer()
		if err := a.SyncOnce(context.Background(), nil, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		took := time.Since(start).Seconds()
		sent := float64(srv.Bytes.Load() - wire)
		b.ReportMetric(sent, "wire-B/op")
		b.ReportMetric(float64(srv.Requests.Load()-reqs), "requests/op")
		b.ReportMetric(sent/bytesPerSecond, "bytes-bound-s")
		b.ReportMetric(took/(sent/bytesPerSecond), "ratio")
		a.Close()
		b.StartTimer()
	}
}
