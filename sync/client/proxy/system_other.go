//go:build !windows

package proxy

// System returns the system's proxy: none outside Windows, where the environment's
// variables are the convention.
func System() *Static { return nil }

// SystemAutoConfig is the system's proxy auto-config: none outside Windows. A variable
// so that tests can give a script.
var SystemAutoConfig = func() AutoConfig { return AutoConfig{} }
