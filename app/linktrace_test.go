package app_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// traceLink, when ECERT_LINK_TRACE is set, puts a logging reverse proxy (on loopback,
// between the app and upstream) and logs each request: when it started, its first byte
// and its end, relative to the first request, and whether it opened a new connection
// to upstream. It returns the address the app should use. The log tells which round
// trips wait on each other in a sync over a poor link.
func traceLink(b *testing.B, upstream string) string {
	if os.Getenv("ECERT_LINK_TRACE") == "" {
		return upstream
	}
	u, err := url.Parse(upstream)
	if err != nil {
		b.Fatal(err)
	}
	var conns atomic.Int64
	dial := (&net.Dialer{}).DialContext
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.FlushInterval = -1 // each write goes on at once: the times are the link's
	rp.Transport = &http.Transport{
		// No compression of its own: the app's Accept-Encoding goes through as asked.
		DisableCompression:  true,
		MaxIdleConnsPerHost: 64,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conns.Add(1)
			return dial(ctx, network, addr)
		},
	}
	var (
		mu    sync.Mutex
		first time.Time
		n     int
	)
	since := func(t time.Time) float64 { return t.Sub(first).Seconds() * 1000 }
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		mu.Lock()
		if first.IsZero() {
			first = start
		}
		n++
		id := n
		mu.Unlock()
		before := conns.Load()
		tw := &timedWriter{ResponseWriter: w}
		rp.ServeHTTP(tw, r)
		end := time.Now()
		path := r.URL.Path
		if q := r.URL.RawQuery; q != "" {
			path += "?" + q
		}
		if len(path) > 60 {
			path = path[:60] + "…"
		}
		fresh := ""
		if conns.Load() > before {
			fresh = " (new connection)"
		}
		b.Logf("req %2d %-62s start %7.0f ms  first byte %7.0f ms  end %7.0f ms  %8d B%s",
			id, r.Method+" "+strings.TrimPrefix(path, "/"), since(start), since(tw.first), since(end), tw.n, fresh)
	})
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	return srv.URL
}

// timedWriter notes when the first byte of an answer was written and how many were.
type timedWriter struct {
	http.ResponseWriter
	first time.Time
	n     int64
}

func (t *timedWriter) Write(p []byte) (int, error) {
	if t.first.IsZero() {
		t.first = time.Now()
	}
	k, err := t.ResponseWriter.Write(p)
	t.n += int64(k)
	return k, err
}

func (t *timedWriter) Flush() {
	if f, ok := t.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
