//go:build windows

package proxy_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/client/proxy"
	"github.com/ecert-desktop/ecert-desktop/sync/client/proxy/wpad"
)

// regImport writes the Internet settings with Windows' own reg tool (as an administrator's
// .reg file or a policy leaves them): every value named, "-" deleting one.
func regImport(t *testing.T, lines ...string) {
	t.Helper()
	// Not t.TempDir: Wine 8 cannot run os.RemoveAll's calls ("Invalid function").
	f := filepath.Join(os.TempDir(), fmt.Sprintf("ecert-proxy-test-%d.reg", os.Getpid()))
	defer os.Remove(f)
	body := "REGEDIT4\r\n\r\n" + strings.Join(lines, "\r\n") + "\r\n"
	if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("reg", "import", f).CombinedOutput(); err != nil {
		t.Fatalf("reg import: %v\n%s\n%s", err, out, body)
	}
}

const settingsKey = `[HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Internet Settings]`

// connections is the DefaultConnectionSettings blob with the switches flags.
func connections(flags byte) string {
	return `[HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Internet Settings\Connections]` +
		"\r\n" + `"DefaultConnectionSettings"=hex:46,00,00,00,05,00,00,00,` + string([]byte{hexDigit(flags >> 4), hexDigit(flags & 15)}) + `,00,00,00,00,00,00,00`
}

func hexDigit(b byte) byte { return "0123456789abcdef"[b] }

// The system's proxy as the user's Windows Internet settings hold it, read from the
// registry: the static proxy (one for all, or per protocol), its bypass list, the switch,
// the setup script and "Automatically detect settings"; and the DNS suffixes WPAD
// searches. It rewrites the user's settings: it runs only when ECERT_TEST_WINDOWS_REGISTRY
// is set (build/scripts/test-package-windows.sh, in a throw-away Wine prefix).
func TestWindowsSystemProxy(t *testing.T) {
	if os.Getenv("ECERT_TEST_WINDOWS_REGISTRY") == "" {
		t.Skip("rewrites the user's Internet settings: set ECERT_TEST_WINDOWS_REGISTRY in a throw-away Windows or Wine prefix")
	}
	// Leaves a direct connection behind, for the programs run after it in the prefix.
	t.Cleanup(func() {
		regImport(t, settingsKey, `"ProxyEnable"=dword:00000000`, `"ProxyServer"=-`, `"ProxyOverride"=-`,
			`"AutoConfigURL"=-`, "", connections(0x01), "",
			`[HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters]`, `"Domain"=-`, `"SearchList"=-`)
	})
	choose := func(t *testing.T, raw string) string {
		t.Helper()
		ch, err := proxy.New(proxy.Settings{}, nil, proxy.System())
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(raw)
		got, err := ch.Proxy(&http.Request{URL: u})
		if err != nil {
			t.Fatal(err)
		}
		return urlString(got)
	}
	type want struct{ url, proxy string }
	check := func(t *testing.T, cases []want) {
		t.Helper()
		for _, c := range cases {
			if got := choose(t, c.url); got != c.proxy {
				t.Errorf("proxy of %s: %q, want %q", c.url, got, c.proxy)
			}
		}
	}

	t.Run("per protocol, with a bypass list", func(t *testing.T) {
		regImport(t, settingsKey,
			`"ProxyEnable"=dword:00000001`,
			`"ProxyServer"="http=web-proxy.corp.example:8080;https=secure-proxy.corp.example:8443"`,
			`"ProxyOverride"="*.intranet.example;10.*; *mirror*;<local>"`,
			`"AutoConfigURL"=-`, "", connections(0x03))
		check(t, []want{
			{"https://portal.ecert.example/api/v1/sync", "http://secure-proxy.corp.example:8443"},
			{"http://portal.ecert.example/api/v1/sync", "http://web-proxy.corp.example:8080"},
			{"http://ecert:8470/api/v1/health", ""},                                    // <local>: no dot
			{"https://files.intranet.example/x", ""},                                   // *.intranet.example
			{"https://10.20.30.40:8470/api", ""},                                       // 10.*
			{"https://eu-mirror.ecert.example/", ""},                                   // *mirror*
			{"https://intranet.example.org/", "http://secure-proxy.corp.example:8443"}, // not *.intranet.example
			{"http://127.0.0.1:8470/api/v1/health", ""},                                // loopback, always
		})
		if conf := proxy.SystemAutoConfig(); conf != (proxy.AutoConfig{}) {
			t.Errorf("auto-config %+v, want none", conf)
		}
	})

	t.Run("one proxy for every protocol", func(t *testing.T) {
		regImport(t, settingsKey, `"ProxyEnable"=dword:00000001`, `"ProxyServer"="proxy.corp.example:3128"`, `"ProxyOverride"=-`)
		check(t, []want{
			{"https://portal.ecert.example/", "http://proxy.corp.example:3128"},
			{"http://portal.ecert.example/", "http://proxy.corp.example:3128"},
			{"http://ecert:8470/", "http://proxy.corp.example:3128"}, // no <local>
		})
	})

	t.Run("switched off", func(t *testing.T) {
		regImport(t, settingsKey, `"ProxyEnable"=dword:00000000`)
		if s := proxy.System(); s != nil {
			t.Errorf("ProxyEnable 0: %+v, want none", s)
		}
		check(t, []want{{"https://portal.ecert.example/", ""}})
	})

	t.Run("setup script before the static proxy", func(t *testing.T) {
		srv, _ := pacServer(t, map[string]string{"/office.pac": officeScript})
		regImport(t, settingsKey,
			`"ProxyEnable"=dword:00000001`, `"ProxyServer"="static.corp.example:80"`,
			`"AutoConfigURL"="`+srv.URL+`/office.pac"`, "", connections(0x05))
		if conf := proxy.SystemAutoConfig(); conf != (proxy.AutoConfig{URL: srv.URL + "/office.pac"}) {
			t.Fatalf("auto-config %+v, want the script only", conf)
		}
		check(t, []want{
			{"https://portal.ecert.example/api/v1/sync", "http://pac-proxy.corp.example:3128"},
			{"https://ecert.corp.example/api", ""},
			{"https://www.example.org/", "http://other.corp.example:8080"},
		})
	})

	t.Run("automatically detect settings", func(t *testing.T) {
		regImport(t, settingsKey, `"AutoConfigURL"=-`, "", connections(0x09))
		if conf := proxy.SystemAutoConfig(); conf != (proxy.AutoConfig{Detect: true}) {
			t.Errorf("auto-config %+v, want detection only", conf)
		}
	})

	t.Run("DNS suffixes for WPAD", func(t *testing.T) {
		regImport(t, `[HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters]`,
			`"Domain"="corp.example"`, `"SearchList"="eu.corp.example, lab.example"`)
		got := wpad.SystemSuffixes()
		t.Logf("suffixes: %q (the adapters' first)", got)
		i := slices.Index(got, "corp.example")
		if i < 0 || !slices.Equal(got[i:], []string{"corp.example", "eu.corp.example", "lab.example"}) {
			t.Errorf("suffixes %q, want them to end with the primary suffix, then the search list", got)
		}
	})
	// WinHTTP's DHCP search (option 252) is called and returns; Wine's WinHTTP does no
	// DHCP search, so only a real Windows on a network that gives one returns an address.
	t.Run("DHCP search", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*wpad.Timeout)
		defer cancel()
		t.Logf("DHCP gives %q", wpad.DHCP(ctx))
	})
}
