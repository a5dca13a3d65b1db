package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/attach"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// firstByte serves h and notes when the body of the first upload chunk (PATCH) after
// arm began to arrive.
type firstByte struct {
	h    http.Handler
	mu   sync.Mutex
	at   time.Time
	wait bool
}

func (f *firstByte) arm() {
	f.mu.Lock()
	f.at, f.wait = time.Time{}, true
	f.mu.Unlock()
}

func (f *firstByte) first() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.at
}

func (f *firstByte) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPatch {
		r.Body = &firstRead{ReadCloser: r.Body, f: f}
	}
	f.h.ServeHTTP(w, r)
}

type firstRead struct {
	io.ReadCloser
	f *firstByte
}

func (r *firstRead) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	if n > 0 {
		r.f.mu.Lock()
		if r.f.wait {
			r.f.at, r.f.wait = time.Now(), false
		}
		r.f.mu.Unlock()
	}
	return n, err
}

// BenchmarkSendFirstByte is `send` on the large organisation (5,000 NCs, 3,000 of them
// awaiting a CA and not marked ready) with one NC's evidence file attached and marked
// ready, as the CLI runs it: CA.Send, then the sync that uploads. It reports the time
// from the call of Send to the first byte of the file at the server (first-byte-ms),
// and Send's own share of it (send-ms). Goal: first byte ≤ 20 ms, whatever the size of
// the organisation.
func BenchmarkSendFirstByte(b *testing.B) {
	srv := servertest.StartWith(b, func(c *server.Config) { c.QuotaBytes = -1 })
	if err := srv.GenerateLarge(context.Background(), demo.GenerateOptions{Audits: 50, NCs: 5000, Messages: 20000, Evidence: 2000}); err != nil {
		b.Fatal(err)
	}
	fb := &firstByte{h: srv.Handler()}
	hs := httptest.NewServer(fb)
	b.Cleanup(hs.Close)
	a := benchApp(b, hs.URL, "large")
	ctx := context.Background()
	if err := a.SyncOnce(ctx, nil, nil); err != nil {
		b.Fatal(err)
	}
	awaiting, err := a.Portal.NCs(app.FilterEvidence)
	if err != nil || len(awaiting) < b.N {
		b.Fatalf("%d NCs await evidence (%d wanted): %v", len(awaiting), b.N, err)
	}
	dir := b.TempDir()
	buf := make([]byte, 1<<20)
	var first, send time.Duration
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		nc := awaiting[i].NC.ID
		buf[0], buf[1] = byte(i), byte(i>>8) // a file of its own: the server lacks it
		path := filepath.Join(dir, fmt.Sprintf("photo-%d.jpg", i))
		if err := os.WriteFile(path, buf, 0o600); err != nil {
			b.Fatal(err)
		}
		if res, err := a.Attach(ctx, nc, []string{path}, attach.SourceCLI); err != nil || len(res) != 1 || res[0].Code != "" {
			b.Fatalf("attach %s: %+v %v", path, res, err)
		}
		if err := a.Evidence.SetReady(nc, true); err != nil {
			b.Fatal(err)
		}
		fb.arm()
		b.StartTimer()
		start := time.Now()
		r, err := a.CA.Send()
		if err != nil || len(r.Queued) != 1 {
			b.Fatalf("send: %+v %v", r.Queued, err)
		}
		sent := time.Since(start)
		if err := a.SyncOnce(ctx, nil, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		at := fb.first()
		if at.IsZero() {
			b.Fatal("no byte of the file reached the server")
		}
		first += at.Sub(start)
		send += sent
		b.StartTimer()
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(first.Microseconds())/1000/n, "first-byte-ms")
	b.ReportMetric(float64(send.Microseconds())/1000/n, "send-ms")
}
