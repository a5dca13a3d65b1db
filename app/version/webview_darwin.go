//go:build desktop || dev

package version

const webView = "wkwebview"
