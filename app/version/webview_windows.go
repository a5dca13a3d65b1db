//go:build desktop || dev

package version

const webView = "webview2"
