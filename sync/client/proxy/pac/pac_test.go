package pac_test

import (
	"errors"
	"net"
	"net/url"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/client/proxy/pac"
)

// An office PAC script as administrators write them: intranet names and networks go
// direct, one host through a second proxy, everything else through the main proxy with a
// direct fallback.
const office = `
/* Contoso office proxy */
function FindProxyForURL(url, host) {
  // intranet
  if (isPlainHostName(host) || dnsDomainIs(host, ".corp.example") ||
      localHostOrDomainIs(host, "intranet.corp.example"))
    return "DIRECT";
  var ip = dnsResolve(host);
  if (isInNet(ip, "10.0.0.0", "255.0.0.0") || isInNet(host, "192.168.0.0", "255.255.0.0")) {
    return "DIRECT";
  } else if (shExpMatch(host, "*.ecert.example") && !shExpMatch(url, "http:*")) {
    return 'PROXY secure-gw.corp.example:3128';
  }
  if (host == "legacy.example") { return "SOCKS legacy:1080; PROXY old.corp.example:80"; }
  return "PROXY proxy.corp.example:8080; DIRECT";
}
`

func TestOfficeScript(t *testing.T) {
	s, err := pac.Parse(office)
	if err != nil {
		t.Fatal(err)
	}
	resolve := func(host string) (net.IP, bool) {
		if host == "files.internal.example" {
			return net.ParseIP("10.1.2.3"), true
		}
		return nil, false
	}
	for _, c := range []struct{ url, want string }{
		{"https://ecert/api", "DIRECT"},
		{"https://srv.corp.example/api", "DIRECT"},
		{"https://files.internal.example/x", "DIRECT"},      // resolves into 10/8
		{"http://192.168.4.5:8470/api/v1/health", "DIRECT"}, // an address literal
		{"https://portal.ecert.example/api/v1/sync", "secure-gw.corp.example:3128"},
		{"http://portal.ecert.example/api/v1/sync", "proxy.corp.example:8080, DIRECT"},
		{"https://legacy.example/", "old.corp.example:80"}, // SOCKS skipped
		{"https://www.example.org/", "proxy.corp.example:8080, DIRECT"},
	} {
		u, _ := url.Parse(c.url)
		got, err := s.Find(u, resolve)
		if err != nil {
			t.Errorf("%s: %v", c.url, err)
			continue
		}
		if s := show(got); s != c.want {
			t.Errorf("%s: %s, want %s", c.url, s, c.want)
		}
	}
}

func show(ps []pac.Proxy) string {
	out := ""
	for i, p := range ps {
		if i > 0 {
			out += ", "
		}
		if p.Direct {
			out += "DIRECT"
		} else {
			out += p.Addr
		}
	}
	return out
}

// Scripts outside the subset are refused at Parse, with ErrUnsupported, so the caller
// falls back instead of guessing.
func TestUnsupportedScriptsAreRefused(t *testing.T) {
	for name, src := range map[string]string{
		"a loop":              `function FindProxyForURL(url, host) { for (;;) {} return "DIRECT"; }`,
		"another function":    `function FindProxyForURL(url, host) { return pick(host); }`,
		"a method call":       `function FindProxyForURL(url, host) { if (url.substring(0, 5) == "http:") return "DIRECT"; return "DIRECT"; }`,
		"top-level code":      `var x = 1; function FindProxyForURL(url, host) { return "DIRECT"; }`,
		"unterminated string": `function FindProxyForURL(url, host) { return "DIRECT; }`,
		"no function":         `return "DIRECT";`,
		"timeRange":           `function FindProxyForURL(url, host) { if (timeRange(8, 18)) return "PROXY a:1"; return "DIRECT"; }`,
	} {
		if _, err := pac.Parse(src); !errors.Is(err, pac.ErrUnsupported) {
			t.Errorf("%s: %v, want ErrUnsupported", name, err)
		}
	}
	// The error says where the parser stopped, for the user to pass on to whoever wrote it.
	for want, src := range map[int]string{
		4: "function FindProxyForURL(url, host) {\n  /* two\n lines */ if (isPlainHostName(host)) return \"DIRECT\";\n  while (true) {}\n}",
		2: "function FindProxyForURL(url, host) {\n  return \"DIRECT;\n}",
		1: `function FindProxyForURL(url) { return "DIRECT"; }`,
	} {
		_, err := pac.Parse(src)
		var se *pac.SyntaxError
		if !errors.As(err, &se) || se.Line != want {
			t.Errorf("%q: %v, want a SyntaxError at line %d", src, err, want)
		}
	}
}

func TestResults(t *testing.T) {
	for in, want := range map[string]string{
		"":                        "DIRECT",
		"DIRECT":                  "DIRECT",
		"PROXY a:1;PROXY b:2":     "a:1, b:2",
		" proxy a:1 ; direct ":    "a:1, DIRECT",
		"SOCKS5 s:1; HTTPS h:443": "DIRECT",
	} {
		got, err := pac.ParseResult(in)
		if err != nil || show(got) != want {
			t.Errorf("%q: %s %v, want %s", in, show(got), err, want)
		}
	}
	if _, err := pac.ParseResult("PROXY"); err == nil {
		t.Error(`"PROXY" without an address was accepted`)
	}
}
