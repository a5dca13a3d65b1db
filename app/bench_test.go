package app_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/attach"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
	"github.com/ecert-desktop/ecert-desktop/sync/engine"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// Benchmarks of `make bench` (sync/BENCHMARKS.md holds the figures). They run against a
// real ecert-server on loopback with the large-organisation generator.

// largeServer starts a server with the benchmark organisation: 5,000 NCs, 20,000
// messages, 2,000 evidence records.
func largeServer(b *testing.B) *servertest.Server {
	b.Helper()
	srv := servertest.Start(b)
	if err := srv.GenerateLarge(context.Background(), demo.GenerateOptions{Audits: 50, NCs: 5000, Messages: 20000, Evidence: 2000}); err != nil {
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
	if _, err := a.Session.Login(url, user, user); err != nil {
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
		if _, err := srv.AnalystMessage(ctx, "analyst", demo.OrgCoop, "NC-167140-2019", fmt.Sprintf("Message %d", i)); err != nil {
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
	rows, err := a.Portal.NCs(app.FilterAll)
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
			if _, err := a.Portal.NCs(app.FilterAll); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("FilterCAsToSubmit", func(b *testing.B) {
		p99(b, func(int) {
			if _, err := a.Portal.NCs(app.FilterCA); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("OpenNC", func(b *testing.B) {
		p99(b, func(i int) {
			if _, err := a.Portal.NC(rows[i%len(rows)].NC.ID); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("SaveDraft", func(b *testing.B) {
		if awaiting == "" {
			b.Skip("no NC awaits a CA")
		}
		p99(b, func(i int) {
			if _, err := a.CA.Autosave(awaiting, fmt.Sprintf("Mesure corrective, version %d", i)); err != nil {
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
		a := benchApp(b, traceLink(b, proxy.URL), "large")
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

// uploadSize is the evidence file of the upload benchmarks: 50 MB, as the issue asks.
const uploadSize = 50 << 20

// evidenceFiles writes 50 MB evidence files: pseudo-random bytes (incompressible, like
// photos), each file with a different first 8 bytes, so each has its own hash and the
// server never already has it.
type evidenceFiles struct {
	dir string
	buf []byte
	n   uint64
}

func newEvidenceFiles(b *testing.B) *evidenceFiles {
	r := rand.New(rand.NewPCG(7, 8))
	buf := make([]byte, uploadSize)
	for i := 0; i < len(buf); i += 8 {
		binary.LittleEndian.PutUint64(buf[i:], r.Uint64())
	}
	return &evidenceFiles{dir: b.TempDir(), buf: buf}
}

// next writes the next file and returns its path; the previous one is removed. The
// file is fsynced, so that no write-back of it competes with the timed uploads.
func (f *evidenceFiles) next(b *testing.B) string {
	f.n++
	os.Remove(filepath.Join(f.dir, fmt.Sprintf("evidence-%d.zip", f.n-1)))
	binary.LittleEndian.PutUint64(f.buf, f.n)
	path := filepath.Join(f.dir, fmt.Sprintf("evidence-%d.zip", f.n))
	out, err := os.Create(path)
	if err == nil {
		_, err = out.Write(f.buf)
	}
	if err == nil {
		err = out.Sync()
	}
	if err == nil {
		err = out.Close()
	}
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// attachFile attaches a file to the demo NC awaiting evidence; the app copies it into
// its blob store and hashes it (not part of the upload's time).
func attachFile(b *testing.B, a *app.App, path string) {
	res, err := a.Attach(context.Background(), ncEvidence, []string{path}, attach.SourceCLI)
	if err != nil || len(res) != 1 || res[0].Code != "" {
		b.Fatalf("attach %s: %+v %v", path, res, err)
	}
}

// putSink is the reference of the upload benchmark: a plain HTTP PUT handler doing the
// work a storing server cannot avoid — read the body, hash it, write it to a file and
// fsync it (the server's blob store fsyncs too) — and nothing else.
func putSink(dir string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f, err := os.CreateTemp(dir, "put-*")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer os.Remove(f.Name())
		defer f.Close()
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(f, h), r.Body)
		if err == nil {
			err = f.Sync()
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Length", "0")
		w.Header().Set("X-Sha256", hex.EncodeToString(h.Sum(nil)))
		w.Header().Set("X-Size", fmt.Sprint(n))
		w.WriteHeader(http.StatusCreated)
	}
}

// discardSink is the second reference of the upload benchmark: a PUT handler that reads
// the body and throws it away — the most any upload over this loopback could reach.
func discardSink(w http.ResponseWriter, r *http.Request) {
	n, err := io.Copy(io.Discard, r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Length", "0")
	w.Header().Set("X-Size", fmt.Sprint(n))
	w.WriteHeader(http.StatusCreated)
}

// plainPut PUTs the file at path to url with net/http's default client and returns
// the time it took.
func plainPut(b *testing.B, url, path string) time.Duration {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	start := time.Now()
	req, _ := http.NewRequest(http.MethodPut, url, f)
	req.ContentLength = uploadSize
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("X-Size") != fmt.Sprint(uploadSize) {
		b.Fatalf("plain PUT: %s, %s bytes", resp.Status, resp.Header.Get("X-Size"))
	}
	return took
}

// BenchmarkUpload50MB is the app uploading a 50 MB evidence file over loopback through
// its real tus path (the sync engine, the API client, tusd in ecert-server, the hash
// check and the blob store), and, in the same run, a plain HTTP PUT of the same file to
// a sink on the same server process and listener that stores and hashes it, and one to
// a sink that discards it. It reports the three in MB/s and tus's ratio to each (target:
// tus ≥ 90 % of the storing PUT). The timed part is the sync that uploads.
func BenchmarkUpload50MB(b *testing.B) {
	srv := servertest.StartWith(b, func(c *server.Config) { c.QuotaBytes = -1 })
	counted := &bodyCounter{h: srv.Handler()}
	mux := http.NewServeMux()
	mux.Handle("PUT /bench/put", putSink(b.TempDir()))
	mux.HandleFunc("PUT /bench/discard", discardSink)
	mux.Handle("/", counted)
	hs := httptest.NewServer(mux)
	b.Cleanup(hs.Close)
	a := benchApp(b, hs.URL, "coop")
	if err := a.SyncOnce(context.Background(), nil, nil); err != nil {
		b.Fatal(err)
	}
	files := newEvidenceFiles(b)
	var tus, put, discard time.Duration
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		path := files.next(b)
		attachFile(b, a, path)
		// All read a file the page cache holds; they take turns going first, so that
		// neither always meets the other's write-back.
		if i%2 == 0 {
			put += plainPut(b, hs.URL+"/bench/put", path)
			discard += plainPut(b, hs.URL+"/bench/discard", path)
		}
		patch := counted.patch.Load()
		start := time.Now()
		b.StartTimer()
		if err := a.SyncOnce(context.Background(), nil, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		tus += time.Since(start)
		if got := counted.patch.Load() - patch; got != uploadSize {
			b.Fatalf("the sync uploaded %d bytes of %d", got, uploadSize)
		}
		if i%2 == 1 {
			discard += plainPut(b, hs.URL+"/bench/discard", path)
			put += plainPut(b, hs.URL+"/bench/put", path)
		}
		b.StartTimer()
	}
	b.StopTimer()
	mb := float64(b.N) * uploadSize / 1e6
	b.ReportMetric(mb/tus.Seconds(), "tus-MB/s")
	b.ReportMetric(mb/put.Seconds(), "put-MB/s")
	b.ReportMetric(put.Seconds()/tus.Seconds(), "tus/put")
	b.ReportMetric(mb/discard.Seconds(), "discard-MB/s")
	b.ReportMetric(discard.Seconds()/tus.Seconds(), "tus/discard")
}

// bodyCounter serves h and counts the request body bytes it reads: those of PATCH
// requests (upload chunks) and those of every other request apart.
type bodyCounter struct {
	h            http.Handler
	patch, other atomic.Int64
}

func (c *bodyCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := &c.other
	if r.Method == http.MethodPatch {
		n = &c.patch
	}
	r.Body = servertest.CountBody(r.Body, n)
	c.h.ServeHTTP(w, r)
}

// forwarder is a TCP relay in front of the proxy that counts the bytes the client put
// on the wire, including those the cut connections lost on the way to the server.
func forwarder(b *testing.B, upstream string) (url string, sent *atomic.Int64) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ln.Close() })
	sent = new(atomic.Int64)
	host := upstream[len("http://"):]
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				u, err := net.Dial("tcp", host)
				if err != nil {
					return
				}
				defer u.Close()
				go func() {
					io.Copy(c, u)
					c.Close()
				}()
				io.Copy(u, &servertest.CountingReader{R: c, N: sent})
			}()
		}
	}()
	return "http://" + ln.Addr().String(), sent
}

// BenchmarkUploadCut5 uploads a 50 MB evidence file through toxiproxy, which cuts the
// connection 5 times at random points (seeded: the same points every run), the app
// syncing again after each cut as it does when the network returns. Bound: bytes
// resent ≤ 5 chunks. It reports two counts of them:
//   - resent-B/op: the upload bytes the server received beyond the file's size (bytes
//     it got twice);
//   - lost-B/op: the bytes the client put on the wire beyond the file and the other
//     requests' bodies: what the cuts lost in flight (in the proxy's and the sockets'
//     buffers), which the client sends again, plus every request's headers. The
//     stricter of the two, and in chunks (lost-chunks/op) the figure set against the
//     bound.
func BenchmarkUploadCut5(b *testing.B) {
	srv := servertest.StartWith(b, func(c *server.Config) { c.QuotaBytes = -1 })
	counted := &bodyCounter{h: srv.Handler()}
	hs := httptest.NewServer(counted)
	b.Cleanup(hs.Close)
	proxy := servertest.NewProxy(b, hs.URL)
	url, wire := forwarder(b, proxy.URL)
	a := benchApp(b, url, "coop")
	ctx := context.Background()
	if err := a.SyncOnce(ctx, nil, nil); err != nil {
		b.Fatal(err)
	}
	files := newEvidenceFiles(b)
	var resent, lost, cuts int64
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		attachFile(b, a, files.next(b))
		patch, other, sent := counted.patch.Load(), counted.other.Load(), wire.Load()
		r := rand.New(rand.NewPCG(42, uint64(i)))
		b.StartTimer()
		for range 5 {
			// Each connection is cut after a random number of bytes: 5 cuts fall
			// within the first 30 MB, whatever the chunk size.
			proxy.AddToxic("cut", "limit_data", "upstream", fmt.Sprintf(`"bytes": %d`, 1<<20+r.IntN(5<<20)))
			err := a.SyncOnce(ctx, nil, nil)
			proxy.RemoveToxic("cut")
			if err == nil {
				break
			}
			if client.Code(err) != api.CodeUnreachable {
				b.Fatalf("sync through a cut: %v", err)
			}
			cuts++
		}
		if err := a.SyncOnce(ctx, nil, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		others := counted.other.Load() - other
		if got := counted.patch.Load() - patch; got < uploadSize {
			b.Fatalf("the upload stopped after %d of %d bytes", got, uploadSize)
		}
		resent += counted.patch.Load() - patch - uploadSize
		lost += wire.Load() - sent - uploadSize - others
		b.StartTimer()
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(cuts)/n, "cuts/op")
	b.ReportMetric(float64(resent)/n, "resent-B/op")
	b.ReportMetric(float64(lost)/n, "lost-B/op")
	b.ReportMetric(float64(lost)/n/float64(engine.ChunkSize), "lost-chunks/op")
	b.ReportMetric(float64(engine.ChunkSize), "chunk-B")
}
