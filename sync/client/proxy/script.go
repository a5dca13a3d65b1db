package proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/client/proxy/pac"
	"github.com/ecert-desktop/ecert-desktop/sync/client/proxy/wpad"
)

// AutoConfig is how the system finds its proxy auto-config script (PAC).
type AutoConfig struct {
	URL    string // a named script (Windows' "Use setup script": AutoConfigURL)
	Detect bool   // search the network for one (WPAD: "Automatically detect settings")
}

// Problems with the system's proxy script (ScriptStatus.Problem): the UI words each one.
const (
	ScriptUnreachable = "unreachable"  // the script's server cannot be reached
	ScriptHTTPStatus  = "http_status"  // it answered an error status (Detail: the status)
	ScriptTooLarge    = "too_large"    // larger than a PAC file can be
	ScriptUnsupported = "unsupported"  // JavaScript beyond what package pac evaluates (Detail: the line)
	ScriptEvaluate    = "evaluate"     // it failed while choosing a request's proxy
	ScriptNotDetected = "not_detected" // the network search found no script (Detail: what was tried)
)

// ScriptStatus is the system's proxy script as the settings show it: the one in use, or
// why there is none. Without a script the system's static proxy is used, else a direct
// connection.
type ScriptStatus struct {
	// URL is the script in use or tried; "" when the search found none.
	URL string `json:"url"`
	// Detected: the script was looked for on the network (WPAD).
	Detected bool `json:"detected"`
	// Problem is "" when the script is in use, else one of the Script… codes.
	Problem string `json:"problem"`
	// Detail completes the problem in a form no translation changes: an HTTP status, a
	// line number, the hosts searched.
	Detail string `json:"detail"`
}

// Limits and seams of the script's search, variables so that tests can change them.
var (
	// Recheck is how often the network is looked at, to load the script again after it
	// changed (a laptop moving from the office to home).
	Recheck = 30 * time.Second
	// NetworkKey identifies the network the host is on now.
	NetworkKey = networkKey
	// Detect searches the network for a script (WPAD over the host's DNS suffixes).
	Detect = func(ctx context.Context) (string, string, error) {
		return wpad.Finder{}.Find(ctx, wpad.SystemSuffixes())
	}
)

// maxScript bounds a PAC file (real ones are a few kilobytes).
const maxScript = 1 << 20

// script is a proxy auto-config script: found and parsed at the first request that needs
// it, and again after the network changed. Its problems are logged once per load.
type script struct {
	conf AutoConfig

	mu      sync.Mutex
	loaded  bool
	network string    // NetworkKey() when loaded
	looked  time.Time // when the network was last looked at
	s       *pac.Script
	status  ScriptStatus
	err     error // why the script is not used (status.Problem), nil when it is
	evalErr bool  // an evaluation problem was recorded (and logged) since the load
	log     *slog.Logger

	health health // which of the script's proxies answer (their own lock)
}

// WithScript has the chooser consult the proxy auto-config script at scriptURL (http,
// https or file) for the system's proxy, before the system's static proxy. A script that
// cannot be fetched or uses JavaScript beyond what package pac evaluates is set aside:
// the static proxy is used, else a direct connection (ScriptStatus says why).
func (c *Chooser) WithScript(scriptURL string) *Chooser {
	return c.withAutoConfig(AutoConfig{URL: scriptURL})
}

func (c *Chooser) withAutoConfig(conf AutoConfig) *Chooser {
	c.script = nil
	if conf.URL != "" || conf.Detect {
		c.script = &script{conf: conf}
	}
	return c
}

// system is the system's script, shared by every chooser while the system's auto-config
// stays the same: it is fetched once (per network), and its problems logged once.
var system struct {
	sync.Mutex
	conf AutoConfig
	s    *script
}

func systemScript(conf AutoConfig) *script {
	if conf.URL == "" && !conf.Detect {
		return nil
	}
	system.Lock()
	defer system.Unlock()
	if system.s == nil || system.conf != conf {
		system.conf, system.s = conf, &script{conf: conf}
	}
	return system.s
}

// WithLog has the script's problems logged on l: one line when a script cannot be used,
// again only after the network changed. Choosers of the system's script share it: the
// first logger given is kept.
func (c *Chooser) WithLog(l *slog.Logger) *Chooser {
	if c.script != nil {
		c.script.mu.Lock()
		if c.script.log == nil {
			c.script.log = l
		}
		c.script.mu.Unlock()
	}
	return c
}

// ScriptStatus is the system's proxy script, loaded now if it was not: in use, or why
// not; ok is false when there is none to consult (no auto-config, or the settings or the
// environment choose the proxy).
func (c *Chooser) ScriptStatus() (status ScriptStatus, ok bool) {
	if c.script == nil || c.Source() != FromSystem {
		return ScriptStatus{}, false
	}
	c.script.mu.Lock()
	defer c.script.mu.Unlock()
	c.script.loadLocked()
	return c.script.status, true
}

// ScriptError is why the system's proxy script is not used, or nil (none, or it works);
// errors.Is(err, pac.ErrUnsupported) for one beyond the evaluator.
func (c *Chooser) ScriptError() error {
	if c.script == nil {
		return nil
	}
	c.script.mu.Lock()
	defer c.script.mu.Unlock()
	c.script.loadLocked()
	if c.script.status.Problem == "" {
		return nil
	}
	return fmt.Errorf("proxy script %s: %w", c.script.status.URL, c.script.err)
}

// loadLocked finds, fetches and parses the script if it never was, or if the network
// changed since. The caller holds s.mu.
func (s *script) loadLocked() {
	now := time.Now()
	if s.loaded && now.Sub(s.looked) < Recheck {
		return
	}
	s.looked = now
	network := NetworkKey()
	if s.loaded && network == s.network {
		return
	}
	if s.loaded {
		// A proxy found down on the last network (or while there was none) may be the
		// way out of this one.
		s.health.forget()
	}
	s.loaded, s.network, s.evalErr, s.s = true, network, false, nil
	s.status = ScriptStatus{URL: s.conf.URL}
	var src string
	var err error
	defer func() { s.err = err }()
	if s.conf.Detect {
		// Windows tries the search first, then the named script.
		ctx, cancel := context.WithTimeout(context.Background(), 4*wpad.Timeout)
		var found string
		found, src, err = Detect(ctx)
		cancel()
		switch {
		case err == nil:
			s.status = ScriptStatus{URL: found, Detected: true}
		case s.conf.URL == "":
			s.status = ScriptStatus{Detected: true, Problem: ScriptNotDetected}
			var nf *wpad.NotFoundError
			if errors.As(err, &nf) {
				s.status.Detail = strings.Join(hosts(nf.Tried), ", ")
			}
			// A network without WPAD is common (at home): said, not warned.
			s.logf(slog.LevelInfo, "no proxy auto-config script found on this network", err)
			return
		}
	}
	if !s.status.Detected {
		src, err = fetchScript(s.status.URL)
		if err != nil {
			s.status.Problem, s.status.Detail = fetchProblem(err)
			s.logf(slog.LevelWarn, "the system's proxy script cannot be fetched: it is not used", err)
			return
		}
	}
	s.s, err = pac.Parse(src)
	if err != nil {
		s.status.Problem = ScriptUnsupported
		var se *pac.SyntaxError
		if errors.As(err, &se) {
			s.status.Detail = fmt.Sprint(se.Line)
		}
		s.logf(slog.LevelWarn, "the system's proxy script uses JavaScript the app cannot evaluate: it is not used", err)
	}
}

func (s *script) logf(level slog.Level, msg string, err error) {
	if s.log != nil {
		s.log.Log(context.Background(), level, msg, "script", s.status.URL, "problem", s.status.Problem, "error", err)
	}
}

// hosts turns candidate URLs into their host names, for a short message.
func hosts(urls []string) []string {
	out := make([]string, 0, len(urls))
	for _, raw := range urls {
		if u, err := url.Parse(raw); err == nil {
			out = append(out, u.Host)
		}
	}
	return out
}

// httpStatusError is a script's server answering something else than 200.
type httpStatusError int

func (e httpStatusError) Error() string { return fmt.Sprintf("HTTP %d", int(e)) }

var errTooLarge = errors.New("larger than 1 MiB")

// fetchProblem words a fetch error as a ScriptStatus problem and detail.
func fetchProblem(err error) (string, string) {
	var status httpStatusError
	switch {
	case errors.As(err, &status):
		return ScriptHTTPStatus, fmt.Sprint(int(status))
	case errors.Is(err, errTooLarge):
		return ScriptTooLarge, ""
	}
	return ScriptUnreachable, ""
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
			return "", httpStatusError(res.StatusCode)
		}
		body = res.Body
	default:
		return "", fmt.Errorf("unsupported scheme %q", u.Scheme)
	}
	b, err := io.ReadAll(io.LimitReader(body, maxScript+1))
	if err == nil && len(b) > maxScript {
		err = errTooLarge
	}
	return string(b), err
}

// proxyFor is the script's proxy for req: (nil, true) for DIRECT, (proxy, true), or
// (nil, false) when there is no usable script or it cannot answer, and the caller falls
// back.
func (s *script) proxyFor(req *http.Request) (*url.URL, bool) {
	s.mu.Lock()
	s.loadLocked()
	sc := s.s
	s.mu.Unlock()
	if sc == nil {
		return nil, false
	}
	ps, err := sc.Find(req.URL, resolve)
	if err != nil {
		s.mu.Lock()
		if s.s == sc && !s.evalErr {
			// The first failure since the load is kept and logged; the requests fall back.
			s.evalErr, s.err = true, err
			s.status.Problem = ScriptEvaluate
			s.logf(slog.LevelWarn, "the system's proxy script failed to choose a proxy: falling back", err)
		}
		s.mu.Unlock()
		return nil, false
	}
	// The first entry that can be reached; a client that cannot reach the one chosen
	// reports the proxy as unreachable, as with a static proxy.
	p := s.health.choose(req.Context(), ps, s.logger())
	if p.Direct {
		return nil, true
	}
	u, err := url.Parse("http://" + p.Addr)
	if err != nil {
		return nil, false
	}
	return u, true
}

func (s *script) logger() *slog.Logger {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log
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

// networkKey is the host's addresses and DNS suffixes: it changes when the host joins
// another network.
func networkKey() string {
	var parts []string
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			parts = append(parts, a.String())
		}
	}
	slices.Sort(parts)
	return strings.Join(append(parts, wpad.SystemSuffixes()...), " ")
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
