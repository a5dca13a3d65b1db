package client_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/http/httpproxy"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
	"github.com/ecert-desktop/ecert-desktop/sync/client/proxy"
	"github.com/ecert-desktop/ecert-desktop/sync/client/proxytest"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// through returns a client of server whose every request goes through the proxy of s.
func through(t *testing.T, server string, s proxy.Settings) *client.Client {
	t.Helper()
	ch, err := proxy.New(s, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.New(server, client.WithProxy(ch.Proxy), client.WithTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLoginSyncAndResumedUploadThroughProxy(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	for _, tt := range []struct {
		name       string
		start      func(t testing.TB) *proxytest.Proxy
		user, pass string
	}{
		{"open proxy", proxytest.Start, "", ""},
		{"proxy with authentication", func(t testing.TB) *proxytest.Proxy { return proxytest.StartWithAuth(t, "office", "s3cret é") }, "office", "s3cret é"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			px := tt.start(t)
			settings := proxy.Settings{Mode: proxy.Manual, URL: px.URL, User: tt.user, Password: tt.pass}
			c := through(t, srv.URL, settings)

			// Login and a whole pull.
			if _, err := c.Login(ctx, "coop", "coop"); err != nil {
				t.Fatalf("login through the proxy: %v", err)
			}
			page, err := c.Changes(ctx, "", 500)
			if err != nil || len(page.Changes) == 0 {
				t.Fatalf("changes through the proxy: %d changes, %v", len(page.Changes), err)
			}
			afterPull := px.Forwarded.Load()
			if afterPull < 2 {
				t.Errorf("the proxy forwarded %d requests, want the login and the pull", afterPull)
			}

			// An upload cut after its first half, resumed by another client (a restart).
			data := append([]byte("%PDF-1.4\n"), make([]byte, 300<<10)...)
			rand.Read(data[9:])
			sum := sha256.Sum256(data)
			ref := api.FileRef{SHA256: hex.EncodeToString(sum[:]), Name: "preuve.pdf", Size: int64(len(data)), MediaType: "application/pdf"}
			loc, err := c.CreateUpload(ctx, ref)
			if err != nil {
				t.Fatalf("create upload: %v", err)
			}
			half := int64(len(data) / 2)
			if next, err := c.UploadChunk(ctx, loc, bytes.NewReader(data), 0, half); err != nil || next != half {
				t.Fatalf("first half: offset %d, %v", next, err)
			}
			again := through(t, srv.URL, settings)
			again.SetSession(c.Session())
			offset, err := again.UploadOffset(ctx, loc)
			if err != nil || offset != half {
				t.Fatalf("offset after the restart: %d, %v; want %d", offset, err, half)
			}
			if next, err := again.UploadChunk(ctx, loc, bytes.NewReader(data), offset, int64(len(data))-offset); err != nil || next != int64(len(data)) {
				t.Fatalf("rest of the upload: offset %d, %v", next, err)
			}
			if missing, err := again.Missing(ctx, []string{ref.SHA256}); err != nil || len(missing) != 0 {
				t.Errorf("after the resumed upload the server lacks %v (%v)", missing, err)
			}
			if got := px.Bytes.Load(); got < int64(len(data)) {
				t.Errorf("the proxy carried %d body bytes, want at least the file's %d", got, len(data))
			}
			if px.Refused.Load() != 0 {
				t.Errorf("the proxy refused %d requests with the right credentials", px.Refused.Load())
			}
		})
	}
}

func TestProxyFailuresHaveCodes(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	authed := proxytest.StartWithAuth(t, "office", "right")
	gone := proxytest.Start(t)
	gone.Close()
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	defer tlsSrv.Close()

	tests := []struct {
		name     string
		server   string
		settings proxy.Settings
		want     string
	}{
		// A plain request: the proxy answers 407 itself.
		{"wrong password", srv.URL, proxy.Settings{Mode: proxy.Manual, URL: authed.URL, User: "office", Password: "wrong"}, api.CodeProxyAuth},
		{"no credentials", srv.URL, proxy.Settings{Mode: proxy.Manual, URL: authed.URL}, api.CodeProxyAuth},
		// An https server: the proxy refuses the tunnel (CONNECT).
		{"wrong password, tunnel", tlsSrv.URL, proxy.Settings{Mode: proxy.Manual, URL: authed.URL, User: "office", Password: "wrong"}, api.CodeProxyAuth},
		// Nothing listens where the proxy should be.
		{"proxy down", srv.URL, proxy.Settings{Mode: proxy.Manual, URL: gone.URL}, api.CodeProxyUnreachable},
		{"proxy down, tunnel", tlsSrv.URL, proxy.Settings{Mode: proxy.Manual, URL: gone.URL}, api.CodeProxyUnreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := through(t, tt.server, tt.settings)
			_, err := c.Login(ctx, "coop", "coop")
			if got := client.Code(err); got != tt.want {
				t.Errorf("got code %q (%v), want %q", got, err, tt.want)
			}
			if c.Session().AccessToken != "" {
				t.Error("a failed login left a session behind")
			}
		})
	}
	if authed.Forwarded.Load() != 0 {
		t.Errorf("the proxy let %d requests through with wrong credentials", authed.Forwarded.Load())
	}
}

func TestProxyChoice(t *testing.T) {
	env := &proxyConfig{HTTPProxy: "http://env-proxy:3128", HTTPSProxy: "http://env-proxy:3129", NoProxy: "intranet.example"}
	system := proxy.ParseWindows("http=sys-proxy:8080;https=sys-proxy:8443", "*.local.example; 10.*;<local>")
	server := "https://ecert.example/v1/me"
	tests := []struct {
		name      string
		settings  proxy.Settings
		env       *proxyConfig
		sys       *proxy.Static
		url       string
		want, src string
	}{
		// Settings first, whatever the others say.
		{"settings", proxy.Settings{Mode: proxy.Manual, URL: "office:8080", User: "u", Password: "p w"}, env, system, server, "http://u:p%20w@office:8080", proxy.FromSettings},
		{"settings take loopback too", proxy.Settings{Mode: proxy.Manual, URL: "http://office:8080"}, env, system, "http://127.0.0.1:8470/v1/me", "http://office:8080", proxy.FromSettings},
		{"none", proxy.Settings{Mode: proxy.None}, env, system, server, "", proxy.Direct},
		// Then the environment, with its exceptions.
		{"environment https", proxy.Settings{}, env, system, server, "http://env-proxy:3129", proxy.FromEnvironment},
		{"environment http", proxy.Settings{}, env, system, "http://ecert.example/v1/me", "http://env-proxy:3128", proxy.FromEnvironment},
		{"environment NO_PROXY", proxy.Settings{}, env, system, "https://intranet.example/v1/me", "", proxy.FromEnvironment},
		// Then the system's.
		{"system", proxy.Settings{}, nil, system, server, "http://sys-proxy:8443", proxy.FromSystem},
		{"system bypass", proxy.Settings{}, nil, system, "https://ecert.local.example/v1", "", proxy.FromSystem},
		{"system bypass, wildcard at the end", proxy.Settings{}, nil, system, "https://10.0.4.2:8470/v1", "", proxy.FromSystem},
		{"system bypass <local>: no dot", proxy.Settings{}, nil, system, "http://ecert:8470/v1", "", proxy.FromSystem},
		{"system per protocol: http", proxy.Settings{}, nil, system, "http://ecert.example/v1", "http://sys-proxy:8080", proxy.FromSystem},
		{"nothing", proxy.Settings{}, nil, nil, server, "", proxy.Direct},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch, err := proxy.New(tt.settings, tt.env, tt.sys)
			if err != nil {
				t.Fatal(err)
			}
			u, _ := url.Parse(tt.url)
			got, err := ch.Proxy(&http.Request{URL: u})
			if err != nil {
				t.Fatal(err)
			}
			if s := urlString(got); s != tt.want {
				t.Errorf("proxy of %s: got %q, want %q", tt.url, s, tt.want)
			}
			if ch.Source() != tt.src {
				t.Errorf("source: got %q, want %q", ch.Source(), tt.src)
			}
		})
	}
}

func TestProxyAddressIsChecked(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"proxy.example:3128", "http://proxy.example:3128"},
		{" https://proxy.example:443/ ", "https://proxy.example:443"},
		{"socks5://127.0.0.1:1080", "socks5://127.0.0.1:1080"},
		{"proxy.example", ""},                  // no port
		{"ftp://proxy.example:21", ""},         // not a proxy scheme
		{"http://u:p@proxy.example:3128", ""},  // credentials go in their own fields
		{"http://proxy.example:3128/path", ""}, // a proxy has no path
		{"", ""},
	} {
		got, err := proxy.Normalise(tt.in)
		if got != tt.want || (tt.want == "") != (err != nil) {
			t.Errorf("Normalise(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if _, err := proxy.New(proxy.Settings{Mode: proxy.Manual, URL: "nonsense"}, nil, nil); err == nil {
		t.Error("a manual proxy without a valid address was accepted")
	}
}

type proxyConfig = httpproxy.Config

func urlString(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.String()
}

// A proxy script naming two proxies, the first one down: the login and a pull go
// through the second, the server reached under a name only the proxies know (the client
// never sends loopback addresses to a proxy).
func TestScriptFailsOverToTheNextProxy(t *testing.T) {
	srv := servertest.Start(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := l.Addr().String()
	l.Close()
	up := proxytest.Start(t)
	su, _ := url.Parse(srv.URL)
	name := "ecert.test:" + su.Port()
	up.Route(name, su.Host)
	pac := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`function FindProxyForURL(url, host) {
  return "PROXY ` + down + `; PROXY ` + strings.TrimPrefix(up.URL, "http://") + `; DIRECT";
}`))
	}))
	defer pac.Close()

	ch, err := proxy.New(proxy.Settings{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ch.WithScript(pac.URL + "/office.pac")
	c, err := client.New("http://"+name, client.WithProxy(ch.Proxy), client.WithTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Login(ctx, "coop", "coop"); err != nil {
		t.Fatalf("login with the first proxy down: %v", err)
	}
	if page, err := c.Changes(ctx, "", 500); err != nil || len(page.Changes) == 0 {
		t.Fatalf("pull with the first proxy down: %d changes, %v", len(page.Changes), err)
	}
	if n := up.Forwarded.Load(); n < 2 {
		t.Errorf("the second proxy forwarded %d requests, want the login and the pull", n)
	}
}
