package cli_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/app/cli"
	"github.com/ecert-desktop/ecert-desktop/sync/client/proxy"
)

// `settings proxy` says why the system's proxy script is not used, and the log (stderr)
// has one line for it.
func TestSettingsProxySaysWhyTheScriptIsNotUsed(t *testing.T) {
	t.Setenv(cli.EnvNoKeyring, "1")
	for _, v := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"} {
		t.Setenv(v, "")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/loop.pac" {
			w.Write([]byte("function FindProxyForURL(url, host) {\n  for (;;) {}\n}"))
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	old := proxy.SystemAutoConfig
	defer func() { proxy.SystemAutoConfig = old }()

	for _, c := range []struct{ path, want string }{
		{"/missing.pac", "its server answered HTTP 404"},
		{"/loop.pac", "it uses JavaScript this app cannot evaluate (line 2)"},
	} {
		proxy.SystemAutoConfig = func() proxy.AutoConfig { return proxy.AutoConfig{URL: srv.URL + c.path} }
		var stdout, stderr bytes.Buffer
		code := cli.Run(context.Background(), []string{"settings", "proxy", "--data-dir", t.TempDir()}, strings.NewReader(""), &stdout, &stderr)
		if code != 0 || !strings.Contains(stdout.String(), "Proxy script "+srv.URL+c.path+": "+c.want) || !strings.Contains(stdout.String(), "It is not used") {
			t.Errorf("%s: exit %d, stdout %q", c.path, code, stdout.String())
		}
		if n := strings.Count(stderr.String(), "level=WARN"); n != 1 || !strings.Contains(stderr.String(), c.path) {
			t.Errorf("%s: the log has %d warnings, want one naming the script:\n%s", c.path, n, stderr.String())
		}
	}
}
