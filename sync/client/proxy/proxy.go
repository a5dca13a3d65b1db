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
	system   *httpproxy.Config // nil when the system has none
	script   *script           // the system's proxy auto-config, nil: none
}

// New returns the chooser for settings, the environment env and the system's proxy
// (System(), nil for none). A Manual mode with an invalid address is an error.
func New(settings Settings, env, system *httpproxy.Config) (*Chooser, error) {
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
	case c.script != nil || configured(c.system):
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
		if c.script != nil && !loopback(req.URL.Hostname()) {
			if p, ok := c.script.proxyFor(req.URL); ok {
				return p, nil
			}
		}
		// No script, or one that cannot answer: the static proxy, else direct.
		if configured(c.system) {
			return c.system.ProxyFunc()(req.URL)
		}
	}
	return nil, nil
}

func configured(c *httpproxy.Config) bool {
	return c != nil && (c.HTTPProxy != "" || c.HTTPSProxy != "")
}

// ParseWindows turns the Windows Internet settings (ProxyServer, ProxyOverride) into a
// proxy configuration. ProxyServer is "host:port" for every protocol, or per protocol
// "http=host:port;https=host:port"; ProxyOverride lists hosts that go direct, separated
// by ';', with "<local>" for names without a dot.
func ParseWindows(server, override string) *httpproxy.Config {
	cfg := &httpproxy.Config{}
	for _, part := range strings.Split(server, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		scheme, addr, perProtocol := strings.Cut(part, "=")
		if !perProtocol {
			cfg.HTTPProxy, cfg.HTTPSProxy = part, part
			continue
		}
		switch strings.ToLower(scheme) {
		case "http":
			cfg.HTTPProxy = addr
		case "https":
			cfg.HTTPSProxy = addr
		}
	}
	var bypass []string
	for _, h := range strings.Split(override, ";") {
		h = strings.TrimSpace(h)
		switch {
		case h == "":
		case h == "<local>":
			// httpproxy has no rule for dot-less names; they are mostly intranet hosts
			// that the Ecert server is not, so the rule is dropped.
		default:
			bypass = append(bypass, strings.TrimPrefix(h, "*"))
		}
	}
	cfg.NoProxy = strings.Join(bypass, ",")
	if !configured(cfg) {
		return nil
	}
	return cfg
}

// AutoDetect reads Windows' DefaultConnectionSettings blob (Internet Settings\Connections):
// whether "Automatically detect settings" is on. Its ninth byte holds the connection's
// switches: 1 direct, 2 the static proxy, 4 the setup script, 8 automatic detection.
func AutoDetect(blob []byte) bool {
	return len(blob) > 8 && blob[8]&0x08 != 0
}
