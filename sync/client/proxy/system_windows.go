//go:build windows

package proxy

import (
	"strings"

	"golang.org/x/net/http/httpproxy"
	"golang.org/x/sys/windows/registry"
)

// System returns the proxy set in the user's Windows Internet settings (what the
// browsers use), or nil when none is enabled. The proxy script is SystemScript's.
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

// SystemScript is the proxy auto-config script's address in the user's Windows Internet
// settings ("Use setup script": AutoConfigURL), or "" when none is set. A WPAD search
// ("Automatically detect settings") is not done: only a named script is read.
func SystemScript() string {
	k, err := registry.OpenKey(registry.CURRENT_USER, `Software\Microsoft\Windows\CurrentVersion\Internet Settings`, registry.QUERY_VALUE)
	if err != nil {
		return ""
	}
	defer k.Close()
	u, _, err := k.GetStringValue("AutoConfigURL")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(u)
}
