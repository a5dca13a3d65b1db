//go:build windows

package proxy

import (
	"golang.org/x/net/http/httpproxy"
	"golang.org/x/sys/windows/registry"
)

// System returns the proxy set in the user's Windows Internet settings (what the
// browsers use), or nil when none is enabled. A proxy script (PAC) is not read.
func System() *httpproxy.Config {
	k, err := registry.OpenKey(registry.CURRENT_USER, `Software\Microsoft\Windows\CurrentVersion\Internet Settings`, registry.QUERY_VALUE)
	if err != nil {
		return nil
	}
	defer k.Close()
	if on, _, err := k.GetIntegerValue("ProxyEnable"); err != nil || on == 0 {
		return nil
	}
	server, _, err := k.GetStringValue("ProxyServer")
	if err != nil {
		return nil
	}
	override, _, _ := k.GetStringValue("ProxyOverride")
	return ParseWindows(server, override)
}
