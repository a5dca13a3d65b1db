package servertest

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
)

// Proxy is a real fault-injecting TCP proxy (Shopify's toxiproxy) in front of a server.
type Proxy struct {
	URL   string
	proxy *toxiproxy.Proxy
	t     testing.TB
}

// NewProxy starts a toxiproxy proxy to the server at upstream (an http:// URL); it
// stops when the test ends.
func NewProxy(t testing.TB, upstream string) *Proxy {
	t.Helper()
	u, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	// Toxics log through zerolog's global logger, at trace level by default.
	zerolog.SetGlobalLevel(zerolog.WarnLevel)
	api := toxiproxy.NewServer(toxiproxy.NewMetricsContainer(prometheus.NewRegistry()), zerolog.Nop())
	p := toxiproxy.NewProxy(api, "ecert", "127.0.0.1:0", u.Host)
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Stop)
	return &Proxy{URL: "http://" + p.Listen, proxy: p, t: t}
}

// AddToxic adds a toxic, e.g. AddToxic("cut", "limit_data", "downstream", `"bytes": 2000`).
// attributes is the inside of the toxic's attributes object.
func (p *Proxy) AddToxic(name, kind, stream, attributes string) {
	p.t.Helper()
	js := fmt.Sprintf(`{"name": %q, "type": %q, "stream": %q, "toxicity": 1, "attributes": {%s}}`, name, kind, stream, attributes)
	if _, err := p.proxy.Toxics.AddToxicJson(strings.NewReader(js)); err != nil {
		p.t.Fatal(err)
	}
}

// RemoveToxic removes a toxic added by AddToxic.
func (p *Proxy) RemoveToxic(name string) {
	p.t.Helper()
	if err := p.proxy.Toxics.RemoveToxic(context.Background(), name); err != nil {
		p.t.Fatal(err)
	}
}
