package client_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// largePageLimit is the page size the engine asks for on a first sync.
const largePageLimit = 10000

// BenchmarkChangesLargePage fetches and decodes the first change page of the large
// organisation (5,000 NCs, 20,000 messages, 2,000 evidence records): "server" from the
// real server, which encodes and gzips the page anew for every call; "replay" from the
// same server's answer recorded once, so that the figure is the client's alone.
// cpu-ns/op is the process's CPU time (the in-process server's included), steadier
// than ns/op when other work shares the machine.
func BenchmarkChangesLargePage(b *testing.B) {
	ctx := context.Background()
	srv := servertest.Start(b)
	if err := srv.GenerateLarge(ctx, demo.GenerateOptions{Audits: 50, NCs: 5000, Messages: 20000, Evidence: 2000}); err != nil {
		b.Fatal(err)
	}
	c, err := client.New(srv.URL)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.Login(ctx, "large", "large"); err != nil {
		b.Fatal(err)
	}
	b.Run("server", func(b *testing.B) { benchChanges(b, c) })

	replay := recordChanges(b, srv.URL, c.Session().AccessToken)
	defer replay.Close()
	rc, err := client.New(replay.URL)
	if err != nil {
		b.Fatal(err)
	}
	rc.SetSession(c.Session())
	b.Run("replay", func(b *testing.B) { benchChanges(b, rc) })
}

func benchChanges(b *testing.B, c *client.Client) {
	ctx := context.Background()
	b.ReportAllocs()
	cpu := cpuTime()
	for range b.N {
		p, err := c.Changes(ctx, "", largePageLimit)
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Changes) != largePageLimit {
			b.Fatalf("got %d changes, want a full page of %d", len(p.Changes), largePageLimit)
		}
	}
	if cpu > 0 {
		b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	}
}

// recordChanges fetches the first change page as sent (gzipped) and returns a server
// that answers every request with it.
func recordChanges(b *testing.B, base, token string) *httptest.Server {
	b.Helper()
	req, err := http.NewRequest(http.MethodGet, base+api.Version+"/changes?cursor=&limit=10000", nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "gzip" {
		b.Fatalf("record changes: HTTP %d, encoding %q, %v", resp.StatusCode, resp.Header.Get("Content-Encoding"), err)
	}
	header := resp.Header.Clone()
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, k := range []string{"Content-Type", "Content-Encoding", "Content-Length", "Vary"} {
			w.Header()[k] = header[k]
		}
		w.Write(body)
	}))
}
