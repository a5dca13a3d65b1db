package proxy

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/http/httpproxy"
)

// Modes of the settings.
const (
	// Auto (the default, "") takes the environment's proxy, else the system's.
	Auto = ""
	// None connects directly, whatever the environment and the system say.
	None = "none"
	// Manual uses the proxy of the settings for every request.
	Manual = "manual"
)

// Sources of the proxy in use (what Describe says).
const (
	FromSettings    = "settings"
	FromEnvironment = "environment"
	FromSystem      = "system"
	Direct          = "direct"
)

// Settings is the proxy the user set in the app.
type Settings struct {
	Mode     string
	URL      string // Manual: http://host:port (a bare host:port gets http://)
	User     string // optional Basic credentials for the proxy
	Password string
}

// ErrInvalid is a proxy address that cannot be used.
var ErrInvalid = errors.New("invalid proxy address")

// Normalise checks a proxy address typed by a user: http, https or socks5, with a host
// and a port, no path. A bare host:port gets http://. Credentials belong in User and
// Password, not in the address.
func Normalise(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw != "" && !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%w: %q", ErrInvalid, raw)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "socks5":
	case u.Hostname() == "" || u.Port() == "":
	case u.User != nil || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "":
	default:
		return u.Scheme + "://" + u.Host, nil
	}
	return "", fmt.Errorf("%w: %q", ErrInvalid, raw)
}

// Env reads the environment's proxy variables now (net/http reads them once per process,
// which would keep a proxy the user has since changed).
func Env() *httpproxy.Config { return httpproxy.FromEnvironment() }

// Chooser picks the proxy of each request, by the order settings > environment > system.
type Chooser struct {
	settings Settings
	env      *httpproxy.Config
	system   *Static // nil when the system has none
	script   *script // the system's proxy auto-config, nil: none
}

// New returns the chooser for settings, the environment env and the system's proxy
// (System(), nil for none). A Manual mode with an invalid address is an error.
func New(settings Settings, env *httpproxy.Config, system *Static) (*Chooser, error) {
	if settings.Mode == Manual {
		u, err := Normalise(settings.URL)
		if err != nil {
			return nil, err
		}
		settings.URL = u
	}
	// The system's proxy script (Windows' auto-config; none elsewhere).
	return &Chooser{settings: settings, env: env, system: system, script: systemScript(SystemAutoConfig())}, nil
}

// Source says where the proxy in use comes from: FromSettings, FromEnvironment,
// FromSystem, or Direct.
func (c *Chooser) Source() string {
	switch {
	case c.settings.Mode == None:
		return Direct
	case c.settings.Mode == Manual:
		return FromSettings
	case configured(c.env):
		return FromEnvironment
	case c.script != nil || c.system.configured():
		return FromSystem
	}
	return Direct
}

// Proxy is an http.Transport's Proxy: the proxy of req, or nil for a direct connection.
// The settings' proxy takes every request; the environment's and the system's follow
// their own exceptions (NO_PROXY, the bypass list) and never take loopback addresses.
func (c *Chooser) Proxy(req *http.Request) (*url.URL, error) {
	switch c.Source() {
	case FromSettings:
		u, err := url.Parse(c.settings.URL)
		if err != nil {
			return nil, err
		}
		if c.settings.User != "" {
			u.User = url.UserPassword(c.settings.User, c.settings.Password)
		}
		return u, nil
	case FromEnvironment:
		return c.env.ProxyFunc()(req.URL)
	case FromSystem:
		if loopback(req.URL.Hostname()) {
			return nil, nil
		}
		if c.script != nil {
			if p, ok := c.script.proxyFor(req); ok {
				return p, nil
			}
		}
		// No script, or one that cannot answer: the static proxy, else direct.
		return c.system.proxyFor(req.URL)
	}
	return nil, nil
}

func configured(c *httpproxy.Config) bool {
	return c != nil && (c.HTTPProxy != "" || c.HTTPSProxy != "")
}

// Static is the system's static proxy: Windows' ProxyServer and ProxyOverride.
type Static struct {
	HTTP, HTTPS string   // host:port for requests of each scheme; "" goes direct
	Bypass      []string // host patterns that go direct, '*' standing for any characters
	Local       bool     // "<local>": host names without a dot go direct
}

func (s *Static) configured() bool { return s != nil && (s.HTTP != "" || s.HTTPS != "") }

// proxyFor is the static proxy of u, nil for a direct connection.
func (s *Static) proxyFor(u *url.URL) (*url.URL, error) {
	if !s.configured() {
		return nil, nil
	}
	addr := s.HTTP
	if u.Scheme == "https" {
		addr = s.HTTPS
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if addr == "" || loopback(host) || (s.Local && !strings.Contains(host, ".")) {
		return nil, nil
	}
	for _, pattern := range s.Bypass {
		if wildcard(strings.ToLower(pattern), host) {
			return nil, nil
		}
	}
	if !strings.Contains(addr, "://") {
		addr = "http://" + addr
	}
	return url.Parse(addr)
}

// wildcard matches s against pattern, where '*' is any run of characters (Windows'
// bypass list: "*.corp.example", "10.*", "*intranet*").
func wildcard(pattern, s string) bool {
	before, after, star := strings.Cut(pattern, "*")
	if !star {
		return pattern == s
	}
	if !strings.HasPrefix(s, before) {
		return false
	}
	s = s[len(before):]
	for i := 0; i <= len(s); i++ {
		if wildcard(after, s[i:]) {
			return true
		}
	}
	return false
}

// ParseWindows turns the Windows Internet settings (ProxyServer, ProxyOverride) into the
// system's static proxy, nil when it names none. ProxyServer is "host:port" for every
// protocol, or per protocol "http=host:port;https=host:port" (a protocol it does not name
// goes direct); ProxyOverride lists host patterns that go direct, separated by ';', with
// "<local>" for names without a dot.
func ParseWindows(server, override string) *Static {
	s := &Static{}
	for _, part := range strings.Split(server, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		scheme, addr, perProtocol := strings.Cut(part, "=")
		if !perProtocol {
			s.HTTP, s.HTTPS = part, part
			continue
		}
		switch strings.ToLower(strings.TrimSpace(scheme)) {
		case "http":
			s.HTTP = strings.TrimSpace(addr)
		case "https":
			s.HTTPS = strings.TrimSpace(addr)
		}
	}
	for _, h := range strings.FieldsFunc(override, func(r rune) bool { return r == ';' || r == ' ' || r == '\t' }) {
		if strings.EqualFold(h, "<local>") {
			s.Local = true
		} else {
			s.Bypass = append(s.Bypass, h)
		}
	}
	if !s.configured() {
		return nil
	}
	return s
}

// AutoDetect reads Windows' DefaultConnectionSettings blob (Internet Settings\Connections):
// whether "Automatically detect settings" is on. Its ninth byte holds the connection's
// switches: 1 direct, 2 the static proxy, 4 the setup script, 8 automatic detection.
func AutoDetect(blob []byte) bool {
	return len(blob) > 8 && blob[8]&0x08 != 0
}
