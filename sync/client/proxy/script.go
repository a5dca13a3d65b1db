package proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/client/proxy/pac"
)

// script is the system's proxy auto-config (Windows' AutoConfigURL): fetched and parsed
// once, at the first request that needs it.
type script struct {
	url  string
	once sync.Once
	s    *pac.Script
	err  error
}

// maxScript bounds a PAC file (real ones are a few kilobytes).
const maxScript = 1 << 20

// WithScript has the chooser consult the proxy auto-config script at scriptURL (http,
// https or file) for the system's proxy, before the system's static proxy. A script that
// cannot be fetched or uses JavaScript beyond what package pac evaluates is set aside:
// the static proxy is used, else a direct connection (ScriptError says why).
func (c *Chooser) WithScript(scriptURL string) *Chooser {
	if scriptURL != "" {
		c.script = &script{url: scriptURL}
	}
	return c
}

// ScriptError is why the system's proxy script is not used, or nil (none, or it works).
func (c *Chooser) ScriptError() error {
	if c.script == nil {
		return nil
	}
	_, err := c.script.load()
	return err
}

func (s *script) load() (*pac.Script, error) {
	s.once.Do(func() {
		var src string
		if src, s.err = fetchScript(s.url); s.err == nil {
			s.s, s.err = pac.Parse(src)
		}
		if s.err != nil {
			s.err = fmt.Errorf("proxy script %s: %w", s.url, s.err)
		}
	})
	return s.s, s.err
}

// fetchScript reads a PAC file: over HTTP directly (never through a proxy), or from disk.
func fetchScript(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	var body io.Reader
	switch u.Scheme {
	case "file":
		p := u.Path
		if len(p) > 2 && p[0] == '/' && p[2] == ':' { // file:///C:/… on Windows
			p = p[1:]
		}
		f, err := os.Open(p)
		if err != nil {
			return "", err
		}
		defer f.Close()
		body = f
	case "http", "https":
		client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: nil}}
		res, err := client.Get(raw)
		if err != nil {
			return "", err
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return "", fmt.Errorf("HTTP %d", res.StatusCode)
		}
		body = res.Body
	default:
		return "", fmt.Errorf("unsupported scheme %q", u.Scheme)
	}
	b, err := io.ReadAll(io.LimitReader(body, maxScript+1))
	if err == nil && len(b) > maxScript {
		err = errors.New("larger than 1 MiB")
	}
	return string(b), err
}

// proxyFor is the script's proxy for u: (nil, true) for DIRECT, (proxy, true), or
// (nil, false) when the script cannot answer and the caller falls back.
func (s *script) proxyFor(u *url.URL) (*url.URL, bool) {
	sc, err := s.load()
	if err != nil {
		return nil, false
	}
	ps, err := sc.Find(u, resolve)
	if err != nil {
		return nil, false
	}
	// The first entry: a client that cannot reach it reports the proxy as unreachable,
	// as with a static proxy.
	if ps[0].Direct {
		return nil, true
	}
	p, err := url.Parse("http://" + ps[0].Addr)
	if err != nil {
		return nil, false
	}
	return p, true
}

// resolve answers the script's DNS questions (isInNet, dnsResolve), briefly.
func resolve(host string) (net.IP, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	ips, err := net.DefaultResolver.LookupIP(ctx, "ip4", host)
	if err != nil || len(ips) == 0 {
		return nil, false
	}
	return ips[0], true
}

// loopback reports whether host is this machine (never sent to a proxy, as with the
// environment's and the system's static proxies).
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
