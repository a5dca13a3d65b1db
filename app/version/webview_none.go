//go:build !desktop && !dev

package version

// A build without Wails' tags is the headless command line: no window at all.
const webView = "none"
