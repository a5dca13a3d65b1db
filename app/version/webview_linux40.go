//go:build (desktop || dev) && linux && !webkit2_41

package version

// Wails links WebKitGTK 4.0 unless the webkit2_41 tag is given.
const webView = "webkit2gtk-4.0"
