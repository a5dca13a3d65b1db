//go:build !windows

package proxy

import "golang.org/x/net/http/httpproxy"

// System returns the system's proxy: none outside Windows, where the environment's
// variables are the convention.
func System() *httpproxy.Config { return nil }

// SystemScript is the system's proxy auto-config URL: none outside Windows.
func SystemScript() string { return "" }
