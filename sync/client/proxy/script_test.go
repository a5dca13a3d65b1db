package proxy_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/client/proxy"
	"github.com/ecert-desktop/ecert-desktop/sync/client/proxy/pac"
)

const officeScript = `function FindProxyForURL(url, host) {
  if (isPlainHostName(host) || dnsDomainIs(host, ".corp.example")) return "DIRECT";
  if (shExpMatch(host, "*.ecert.example")) return "PROXY pac-proxy.corp.example:3128";
  return "PROXY other.corp.example:8080";
}`

// The system's proxy script (Windows' AutoConfigURL, here served over HTTP and read from
// a file) chooses each request's proxy; one it cannot evaluate, or cannot fetch, falls
// back to the system's static proxy, else to a direct connection.
func TestSystemProxyScript(t *testing.T) {
	scripts := map[string]string{"/office.pac": officeScript, "/fancy.pac": `function FindProxyForURL(url, host) { return host.indexOf("x") ? "DIRECT" : "PROXY a:1"; }`}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s, ok := scripts[r.URL.Path]; ok {
			w.Header().Set("Content-Type", "application/x-ns-proxy-autoconfig")
			w.Write([]byte(s))
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "office.pac")
	os.WriteFile(file, []byte(officeScript), 0o644)
	static := &proxy.Static{HTTP: "static.corp.example:80", HTTPS: "static.corp.example:80"}

	for _, c := range []struct {
		name, script string
		static       *proxy.Static
		url, want    string
		scriptFails  bool
	}{
		{"script over HTTP", srv.URL + "/office.pac", static, "https://portal.ecert.example/api/v1/sync", "http://pac-proxy.corp.example:3128", false},
		{"script from a file", "file://" + filepath.ToSlash(file), nil, "https://portal.ecert.example/api/v1/sync", "http://pac-proxy.corp.example:3128", false},
		{"script says DIRECT", srv.URL + "/office.pac", static, "https://ecert.corp.example/api", "", false},
		{"script's last rule", srv.URL + "/office.pac", nil, "https://www.example.org/", "http://other.corp.example:8080", false},
		{"loopback never proxied", srv.URL + "/office.pac", nil, "http://127.0.0.1:8470/api/v1/health", "", false},
		{"script beyond the subset: the static proxy", srv.URL + "/fancy.pac", static, "https://portal.ecert.example/", "http://static.corp.example:80", true},
		{"script missing, no static proxy: direct", srv.URL + "/missing.pac", nil, "https://portal.ecert.example/", "", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			ch, err := proxy.New(proxy.Settings{}, nil, c.static)
			if err != nil {
				t.Fatal(err)
			}
			ch.WithScript(c.script)
			if ch.Source() != proxy.FromSystem {
				t.Errorf("source %q, want %q", ch.Source(), proxy.FromSystem)
			}
			u, _ := url.Parse(c.url)
			got, err := ch.Proxy(&http.Request{URL: u})
			if err != nil {
				t.Fatal(err)
			}
			if s := urlString(got); s != c.want {
				t.Errorf("proxy of %s: %q, want %q", c.url, s, c.want)
			}
			if err := ch.ScriptError(); (err != nil) != c.scriptFails {
				t.Errorf("ScriptError: %v", err)
			}
		})
	}
	// The environment and the settings still come first.
	ch, _ := proxy.New(proxy.Settings{Mode: proxy.None}, nil, nil)
	ch.WithScript(srv.URL + "/office.pac")
	if u, _ := ch.Proxy(&http.Request{URL: &url.URL{Scheme: "https", Host: "portal.ecert.example"}}); u != nil || ch.Source() != proxy.Direct {
		t.Errorf("mode none with a system script: %v (%s)", u, ch.Source())
	}
	ch, _ = proxy.New(proxy.Settings{}, nil, nil)
	ch.WithScript(srv.URL + "/fancy.pac")
	if err := ch.ScriptError(); !errors.Is(err, pac.ErrUnsupported) {
		t.Errorf("a script beyond the subset: %v, want pac.ErrUnsupported", err)
	}
}

func urlString(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.String()
}
