//go:build (desktop || dev) && linux && webkit2_41

package version

const webView = "webkit2gtk-4.1"
