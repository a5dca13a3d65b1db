package proxy_test

import (
	"bytes"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/client/proxy"
	"github.com/ecert-desktop/ecert-desktop/sync/client/proxytest"
)

// A script naming several proxies: one that cannot be reached is passed over for the
// next, and remembered as down for a while (DeadFor), then tried again.
func TestScriptProxyFailover(t *testing.T) {
	// The first proxy: an address where nothing listens (a listener closed at once).
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	first := l.Addr().String()
	l.Close()
	second := proxytest.Start(t)
	secondAddr := strings.TrimPrefix(second.URL, "http://")

	srv, _ := pacServer(t, map[string]string{
		"/two.pac": `function FindProxyForURL(url, host) {
  return "PROXY ` + first + `; PROXY ` + secondAddr + `; DIRECT";
}`,
		"/none.pac": `function FindProxyForURL(url, host) {
  return "PROXY ` + first + `; DIRECT";
}`,
	})
	oldDead, oldAlive := proxy.DeadFor, proxy.AliveFor
	t.Cleanup(func() { proxy.DeadFor, proxy.AliveFor = oldDead, oldAlive })
	proxy.DeadFor, proxy.AliveFor = time.Hour, time.Hour

	network := "office"
	systemConfig(t, proxy.AutoConfig{URL: srv.URL + "/two.pac"}, &network)
	var logs bytes.Buffer
	ch, _ := proxy.New(proxy.Settings{}, nil, nil)
	ch.WithLog(slog.New(slog.NewTextHandler(&logs, nil)))
	for range 3 {
		if got, err := ch.Proxy(portal); err != nil || urlString(got) != second.URL {
			t.Fatalf("first proxy down: %v %v, want the second %s", got, err, second.URL)
		}
	}
	if n := strings.Count(logs.String(), "\n"); n != 1 || !strings.Contains(logs.String(), "proxy="+first) {
		t.Errorf("want one warning naming the proxy that is down, got:\n%s", logs.String())
	}

	// The first proxy comes back: passed over while it is remembered as down …
	back, err := net.Listen("tcp", first)
	if err != nil {
		t.Skipf("the first proxy's port was taken meanwhile: %v", err)
	}
	defer back.Close()
	if got, _ := ch.Proxy(portal); urlString(got) != second.URL {
		t.Errorf("within DeadFor: %v, want the second proxy still", got)
	}
	// … and taken again once that while is over.
	proxy.DeadFor = 0
	if got, _ := ch.Proxy(portal); urlString(got) != "http://"+first {
		t.Errorf("after DeadFor: %v, want the first proxy again", got)
	}
	back.Close()

	// Found down on one network, a proxy is checked again as soon as the host is on
	// another: the memory of the last network says nothing of this one.
	proxy.DeadFor, proxy.AliveFor = time.Hour, time.Hour
	oldRecheck := proxy.Recheck
	t.Cleanup(func() { proxy.Recheck = oldRecheck })
	proxy.Recheck = 0
	network = "café"
	if got, _ := ch.Proxy(portal); urlString(got) != second.URL {
		t.Fatalf("first proxy down again: %v, want the second", got)
	}
	again, err := net.Listen("tcp", first)
	if err != nil {
		t.Skipf("the first proxy's port was taken meanwhile: %v", err)
	}
	defer again.Close()
	if got, _ := ch.Proxy(portal); urlString(got) != second.URL {
		t.Errorf("same network, within DeadFor: %v, want the second proxy still", got)
	}
	network = "home"
	if got, _ := ch.Proxy(portal); urlString(got) != "http://"+first {
		t.Errorf("on another network: %v, want the first proxy, checked again", got)
	}
	again.Close()

	// Every proxy down and DIRECT last: direct.
	proxy.DeadFor, proxy.AliveFor = time.Hour, 0
	systemConfig(t, proxy.AutoConfig{URL: srv.URL + "/none.pac"}, &network)
	ch, _ = proxy.New(proxy.Settings{}, nil, nil)
	if got, err := ch.Proxy(portal); err != nil || got != nil {
		t.Errorf("the only proxy down, DIRECT after it: %v %v, want direct", got, err)
	}
}
