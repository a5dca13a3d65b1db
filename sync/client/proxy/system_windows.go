//go:build windows

package proxy

import (
	"strings"

	"golang.org/x/sys/windows/registry"
)

const internetSettings = `Software\Microsoft\Windows\CurrentVersion\Internet Settings`

// System returns the proxy set in the user's Windows Internet settings (what the
// browsers use), or nil when none is enabled. The proxy script is SystemAutoConfig's.
func System() *Static {
	k, err := registry.OpenKey(registry.CURRENT_USER, internetSettings, registry.QUERY_VALUE)
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

// SystemAutoConfig is a variable so that tests can give a script (see systemAutoConfig).
var SystemAutoConfig = systemAutoConfig

// systemAutoConfig reads the proxy auto-config of the user's Windows Internet settings:
// "Use setup script" (AutoConfigURL) and "Automatically detect settings" (a flag of the
// DefaultConnectionSettings blob, which holds the connection's proxy switches).
func systemAutoConfig() AutoConfig {
	k, err := registry.OpenKey(registry.CURRENT_USER, internetSettings, registry.QUERY_VALUE)
	if err != nil {
		return AutoConfig{}
	}
	defer k.Close()
	var conf AutoConfig
	if u, _, err := k.GetStringValue("AutoConfigURL"); err == nil {
		conf.URL = strings.TrimSpace(u)
	}
	if c, err := registry.OpenKey(registry.CURRENT_USER, internetSettings+`\Connections`, registry.QUERY_VALUE); err == nil {
		blob, _, err := c.GetBinaryValue("DefaultConnectionSettings")
		c.Close()
		conf.Detect = err == nil && AutoDetect(blob)
	}
	return conf
}
