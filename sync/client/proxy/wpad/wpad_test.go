package wpad_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/client/proxy/wpad"
)

func TestCandidates(t *testing.T) {
	for _, c := range []struct {
		suffixes []string
		want     []string
	}{
		// Most specific first, up to the registered domain, never at a public suffix.
		{[]string{"eu.corp.example.com"}, []string{"http://wpad.eu.corp.example.com/wpad.dat", "http://wpad.corp.example.com/wpad.dat", "http://wpad.example.com/wpad.dat"}},
		{[]string{"corp.example.co.uk"}, []string{"http://wpad.corp.example.co.uk/wpad.dat", "http://wpad.example.co.uk/wpad.dat"}},
		// An intranet name under a made-up top-level domain: its one domain.
		{[]string{"ad.corp"}, []string{"http://wpad.ad.corp/wpad.dat"}},
		// Written as Windows may keep them: capitals, a trailing dot, spaces.
		{[]string{" Corp.Example.COM. "}, []string{"http://wpad.corp.example.com/wpad.dat", "http://wpad.example.com/wpad.dat"}},
		// Several suffixes in order, without repeats.
		{[]string{"eu.example.org", "example.org", "example.net"}, []string{"http://wpad.eu.example.org/wpad.dat", "http://wpad.example.org/wpad.dat", "http://wpad.example.net/wpad.dat"}},
		// Nothing to try: public suffixes, a single label, an address, nothing.
		{[]string{"com", "co.uk", "corp", "10.0.0.1", ""}, nil},
		{nil, nil},
	} {
		if got := wpad.Candidates(c.suffixes); !slices.Equal(got, c.want) {
			t.Errorf("Candidates(%q):\n got %q\nwant %q", c.suffixes, got, c.want)
		}
	}
}

// The search over a network whose DNS is simulated by the client's dialer: each host
// name leads to a listener of the test, or to "no such host".
func TestFind(t *testing.T) {
	const script = `function FindProxyForURL(url, host) { return "PROXY proxy.corp.example:3128"; }`
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/wpad.dat" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(script))
	}))
	defer good.Close()
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<html>a parked domain</html>"))
	}))
	defer page.Close()
	missing := httptest.NewServer(http.NotFoundHandler())
	defer missing.Close()
	// A host that accepts the connection and never answers.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	hosts := map[string]string{
		"wpad.slow.corp.example:80": silent.Addr().String(),
		"wpad.page.example:80":      page.Listener.Addr().String(),
		"wpad.gone.example:80":      missing.Listener.Addr().String(),
		"wpad.corp.example:80":      good.Listener.Addr().String(),
	}
	var asked []string
	client := &http.Client{Transport: &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			asked = append(asked, addr)
			to, ok := hosts[addr]
			if !ok {
				return nil, &net.DNSError{Err: "no such host", Name: addr, IsNotFound: true}
			}
			return (&net.Dialer{}).DialContext(ctx, network, to)
		},
	}}
	defer func(d time.Duration) { wpad.Timeout = d }(wpad.Timeout)
	wpad.Timeout = 300 * time.Millisecond
	f := wpad.Finder{Client: client}

	// The most specific candidate that answers with a script wins; a silent host, an
	// unknown one, a 404 and a web page are passed over.
	u, got, err := f.Find(context.Background(), []string{"page.example", "gone.example", "eu.slow.corp.example"})
	if err != nil || u != "http://wpad.corp.example/wpad.dat" || got != script {
		t.Fatalf("Find: %q, %q, %v; want the script of wpad.corp.example", u, got, err)
	}
	want := []string{"wpad.page.example:80", "wpad.gone.example:80", "wpad.eu.slow.corp.example:80", "wpad.slow.corp.example:80", "wpad.corp.example:80"}
	if !slices.Equal(asked, want) {
		t.Errorf("asked %q, want %q", asked, want)
	}

	// None: ErrNotFound, saying what was tried.
	_, _, err = f.Find(context.Background(), []string{"home.example"})
	if !errors.Is(err, wpad.ErrNotFound) || !strings.Contains(err.Error(), "wpad.home.example") {
		t.Errorf("no script: %v, want ErrNotFound naming wpad.home.example", err)
	}
	var nf *wpad.NotFoundError
	if _, _, err = f.Find(context.Background(), nil); !errors.As(err, &nf) || len(nf.Tried) != 0 {
		t.Errorf("no suffix: %v", err)
	}
}

// The script address DHCP gives (option 252) is tried before the DNS candidates; one
// that does not answer with a script leaves them to be tried.
func TestFindTriesDHCPFirst(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/dhcp.pac" {
			w.Write([]byte(`function FindProxyForURL(url, host) { return "PROXY dhcp-proxy:3128"; }`))
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	old := wpad.DHCP
	t.Cleanup(func() { wpad.DHCP = old })

	wpad.DHCP = func(context.Context) string { return srv.URL + "/dhcp.pac" }
	u, script, err := wpad.Finder{}.Find(context.Background(), nil)
	if err != nil || u != srv.URL+"/dhcp.pac" || !strings.Contains(script, "dhcp-proxy") {
		t.Fatalf("with a DHCP address: %q %q %v", u, script, err)
	}

	wpad.DHCP = func(context.Context) string { return srv.URL + "/gone.pac" }
	_, _, err = wpad.Finder{}.Find(context.Background(), []string{"corp.invalid"})
	var nf *wpad.NotFoundError
	if !errors.As(err, &nf) || len(nf.Tried) != 2 || nf.Tried[0] != srv.URL+"/gone.pac" || nf.Tried[1] != "http://wpad.corp.invalid/wpad.dat" {
		t.Errorf("a DHCP address without a script: %v, want DHCP's then the DNS candidate tried", err)
	}
}
