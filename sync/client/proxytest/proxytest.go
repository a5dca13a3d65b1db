package proxytest

import (
	"bufio"
	"context"
	"encoding/base64"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/elazarl/goproxy"
)

// Proxy is a forward proxy listening on loopback until the test ends.
type Proxy struct {
	// URL is the proxy's address, http://127.0.0.1:port (without credentials).
	URL string
	// Forwarded counts the requests and tunnels it let through; Refused those it
	// answered 407.
	Forwarded, Refused atomic.Int64
	// Bytes counts the request body bytes it forwarded (uploads).
	Bytes atomic.Int64

	srv    *http.Server
	routes sync.Map // host:port → the address the proxy connects to instead
}

// Route has the proxy reach host (host:port) at addr: a name only the proxy knows, for a
// server on loopback that the client must not take for loopback (never proxied).
func (p *Proxy) Route(host, addr string) { p.routes.Store(host, addr) }

func (p *Proxy) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	if to, ok := p.routes.Load(addr); ok {
		addr = to.(string)
	}
	return (&net.Dialer{}).DialContext(ctx, network, addr)
}

// Start runs a proxy that lets everything through.
func Start(t testing.TB) *Proxy { return start(t, "", "") }

// StartWithAuth runs a proxy that asks for Basic credentials user:password (407
// Proxy Authentication Required without them or with others).
func StartWithAuth(t testing.TB, user, password string) *Proxy { return start(t, user, password) }

func start(t testing.TB, user, password string) *Proxy {
	t.Helper()
	p := &Proxy{}
	gp := goproxy.NewProxyHttpServer()
	gp.Logger = log.New(io.Discard, "", 0)
	// Straight to the servers (never the environment's proxy), through the test's routes.
	gp.Tr = &http.Transport{DialContext: p.dial}
	gp.ConnectDial = func(network, addr string) (net.Conn, error) { return p.dial(context.Background(), network, addr) }
	allowed := func(r *http.Request) bool {
		return user == "" || basic(r.Header.Get("Proxy-Authorization")) == user+":"+password
	}
	gp.OnRequest().DoFunc(func(r *http.Request, ctx *goproxy.ProxyCtx) (*http.Request, *http.Response) {
		if !allowed(r) {
			p.Refused.Add(1)
			resp := goproxy.NewResponse(r, "text/plain", http.StatusProxyAuthRequired, "proxy credentials required\n")
			resp.Header.Set("Proxy-Authenticate", `Basic realm="proxytest"`)
			return nil, resp
		}
		p.Forwarded.Add(1)
		if r.Body != nil {
			r.Body = &counting{ReadCloser: r.Body, n: &p.Bytes}
		}
		return r, nil
	})
	gp.OnRequest().HandleConnectFunc(func(host string, ctx *goproxy.ProxyCtx) (*goproxy.ConnectAction, string) {
		if !allowed(ctx.Req) {
			p.Refused.Add(1)
			return &goproxy.ConnectAction{Action: goproxy.ConnectProxyAuthHijack, Hijack: refuse}, host
		}
		p.Forwarded.Add(1)
		return goproxy.OkConnect, host
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.URL = "http://" + l.Addr().String()
	p.srv = &http.Server{Handler: gp}
	go p.srv.Serve(l)
	t.Cleanup(p.Close)
	return p
}

// Close stops the proxy; later requests through it find nothing listening.
func (p *Proxy) Close() { p.srv.Close() }

// refuse ends the 407 answer that goproxy began on the hijacked connection.
func refuse(_ *http.Request, conn net.Conn, _ *goproxy.ProxyCtx) {
	w := bufio.NewWriter(conn)
	w.WriteString("Proxy-Authenticate: Basic realm=\"proxytest\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
	w.Flush()
	conn.Close()
}

// basic decodes a Basic credentials header to "user:password" ("" when it is not one).
func basic(h string) string {
	enc, ok := strings.CutPrefix(h, "Basic ")
	if !ok {
		return ""
	}
	dec, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return ""
	}
	return string(dec)
}

type counting struct {
	io.ReadCloser
	n *atomic.Int64
}

func (c *counting) Read(b []byte) (int, error) {
	n, err := c.ReadCloser.Read(b)
	c.n.Add(int64(n))
	return n, err
}
