//go:build (desktop || dev) && !linux && !windows && !darwin

package version

// Wails has no window on this system; the tag is there, so say so rather than guess.
const webView = "unsupported"
