//go:build !windows

package wpad

// SystemSuffixes returns the host's DNS suffixes, most specific first: none outside
// Windows, where WPAD is not asked for (the environment's variables are the convention).
func SystemSuffixes() []string { return nil }
