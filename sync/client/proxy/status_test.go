package proxy_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/client/proxy"
	"github.com/ecert-desktop/ecert-desktop/sync/client/proxy/wpad"
)

// pacServer serves the scripts by path (anything else is a 404) and counts the fetches.
func pacServer(t *testing.T, scripts map[string]string) (*httptest.Server, *atomic.Int64) {
	var fetches atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		if s, ok := scripts[r.URL.Path]; ok {
			w.Write([]byte(s))
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &fetches
}

// systemConfig makes the system's auto-config conf for the test, and the network key
// whatever *network holds.
func systemConfig(t *testing.T, conf proxy.AutoConfig, network *string) {
	oldConf, oldKey, oldRecheck := proxy.SystemAutoConfig, proxy.NetworkKey, proxy.Recheck
	t.Cleanup(func() { proxy.SystemAutoConfig, proxy.NetworkKey, proxy.Recheck = oldConf, oldKey, oldRecheck })
	proxy.SystemAutoConfig = func() proxy.AutoConfig { return conf }
	proxy.NetworkKey = func() string { return *network }
	proxy.Recheck = 0
}

var portal = &http.Request{URL: &url.URL{Scheme: "https", Host: "portal.ecert.example", Path: "/api/v1/sync"}}

// A system script that cannot be used says why (a code the UI words, a detail no
// translation changes), logs one line for it however many requests fall back, and is
// fetched again only when the network changes.
func TestScriptProblemsAreSaidOnce(t *testing.T) {
	srv, fetches := pacServer(t, map[string]string{
		"/office.pac": officeScript,
		"/loop.pac":   "function FindProxyForURL(url, host) {\n  while (true) {}\n  return \"DIRECT\";\n}",
	})
	for _, c := range []struct {
		name, path   string
		problem      string
		detail       string
		static       bool
		wantFallback string
	}{
		{"a script that is not there", "/missing.pac", proxy.ScriptHTTPStatus, "404", true, "http://static.corp.example:80"},
		{"a script beyond the evaluator", "/loop.pac", proxy.ScriptUnsupported, "2", false, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			network := "office"
			systemConfig(t, proxy.AutoConfig{URL: srv.URL + c.path}, &network)
			var static *proxy.Static
			if c.static {
				static = &proxy.Static{HTTP: "static.corp.example:80", HTTPS: "static.corp.example:80"}
			}
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, nil))
			fetches.Store(0)

			// Several choosers (each new client, the settings window) share the script.
			for range 3 {
				ch, err := proxy.New(proxy.Settings{}, nil, static)
				if err != nil {
					t.Fatal(err)
				}
				ch.WithLog(log)
				got, err := ch.Proxy(portal)
				if err != nil || urlString(got) != c.wantFallback {
					t.Errorf("proxy: %v %v, want the fallback %q", got, err, c.wantFallback)
				}
				st, ok := ch.ScriptStatus()
				want := proxy.ScriptStatus{URL: srv.URL + c.path, Problem: c.problem, Detail: c.detail}
				if !ok || st != want {
					t.Errorf("status %+v (%v), want %+v", st, ok, want)
				}
			}
			if n := fetches.Load(); n != 1 {
				t.Errorf("fetched %d times on one network, want 1", n)
			}
			if n := strings.Count(logs.String(), "\n"); n != 1 || !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), c.path) {
				t.Errorf("log, want one warning naming the script:\n%s", logs.String())
			}

			// Another network: fetched and said again.
			network = "home"
			ch, _ := proxy.New(proxy.Settings{}, nil, static)
			ch.Proxy(portal)
			if n := fetches.Load(); n != 2 {
				t.Errorf("fetched %d times after a network change, want 2", n)
			}
			if n := strings.Count(logs.String(), "\n"); n != 2 {
				t.Errorf("log after a network change, want a second line:\n%s", logs.String())
			}
		})
	}

	// A working script: in use, nothing logged; the settings and the environment first.
	network := "office"
	systemConfig(t, proxy.AutoConfig{URL: srv.URL + "/office.pac"}, &network)
	var logs bytes.Buffer
	ch, _ := proxy.New(proxy.Settings{}, nil, nil)
	ch.WithLog(slog.New(slog.NewTextHandler(&logs, nil)))
	if st, ok := ch.ScriptStatus(); !ok || st != (proxy.ScriptStatus{URL: srv.URL + "/office.pac"}) || logs.Len() != 0 {
		t.Errorf("a working script: %+v %v, log %q", st, ok, logs.String())
	}
	if ch.ScriptError() != nil {
		t.Errorf("a working script: ScriptError %v", ch.ScriptError())
	}
	ch, _ = proxy.New(proxy.Settings{Mode: proxy.None}, nil, nil)
	if _, ok := ch.ScriptStatus(); ok {
		t.Error("mode none: the script is not consulted, yet a status was given")
	}
}

// "Automatically detect settings": the network's script is found (here the search is the
// test's), tried before a named script; finding none is said, not warned.
func TestDetectedScript(t *testing.T) {
	srv, _ := pacServer(t, map[string]string{"/wpad.dat": officeScript})
	oldDetect := proxy.Detect
	t.Cleanup(func() { proxy.Detect = oldDetect })
	searches := 0
	found := true
	proxy.Detect = func(ctx context.Context) (string, string, error) {
		searches++
		if !found {
			return "", "", &wpad.NotFoundError{Tried: []string{"http://wpad.home.example/wpad.dat"}}
		}
		return srv.URL + "/wpad.dat", officeScript, nil
	}
	network := "office"
	systemConfig(t, proxy.AutoConfig{Detect: true, URL: srv.URL + "/missing.pac"}, &network)
	ch, _ := proxy.New(proxy.Settings{}, nil, nil)
	if got, _ := ch.Proxy(portal); urlString(got) != "http://pac-proxy.corp.example:3128" {
		t.Errorf("with the detected script: %v", got)
	}
	if st, _ := ch.ScriptStatus(); st != (proxy.ScriptStatus{URL: srv.URL + "/wpad.dat", Detected: true}) {
		t.Errorf("status %+v", st)
	}
	if searches != 1 {
		t.Errorf("searched %d times on one network, want 1", searches)
	}

	// At home: nothing found, direct; an informational line, not a warning.
	found, network = false, "home"
	systemConfig(t, proxy.AutoConfig{Detect: true}, &network)
	var logs bytes.Buffer
	ch, _ = proxy.New(proxy.Settings{}, nil, nil)
	ch.WithLog(slog.New(slog.NewTextHandler(&logs, nil)))
	if got, _ := ch.Proxy(portal); got != nil {
		t.Errorf("nothing detected: %v, want direct", got)
	}
	st, _ := ch.ScriptStatus()
	if want := (proxy.ScriptStatus{Detected: true, Problem: proxy.ScriptNotDetected, Detail: "wpad.home.example"}); st != want {
		t.Errorf("status %+v, want %+v", st, want)
	}
	if !strings.Contains(logs.String(), "level=INFO") || strings.Count(logs.String(), "\n") != 1 {
		t.Errorf("log %q, want one INFO line", logs.String())
	}
	if err := ch.ScriptError(); !errors.Is(err, wpad.ErrNotFound) {
		t.Errorf("ScriptError %v, want wpad.ErrNotFound", err)
	}
}

// Windows keeps "Automatically detect settings" as a bit of a binary blob.
func TestAutoDetect(t *testing.T) {
	for _, c := range []struct {
		blob []byte
		want bool
	}{
		{[]byte{0x46, 0, 0, 0, 5, 0, 0, 0, 0x09, 0, 0, 0}, true},  // direct + detect (Windows' default)
		{[]byte{0x46, 0, 0, 0, 5, 0, 0, 0, 0x0d, 0, 0, 0}, true},  // + setup script
		{[]byte{0x46, 0, 0, 0, 5, 0, 0, 0, 0x03, 0, 0, 0}, false}, // a static proxy only
		{[]byte{0x46, 0, 0, 0}, false},                            // cut short
		{nil, false},
	} {
		if got := proxy.AutoDetect(c.blob); got != c.want {
			t.Errorf("AutoDetect(% x) = %v, want %v", c.blob, got, c.want)
		}
	}
}
