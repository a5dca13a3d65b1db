//go:build !linux || !(desktop || dev)

package desktop

// useDocumentViewerCache: WebKitGTK's cache model is set on Linux only; other builds
// have no WebKitGTK linked.
func useDocumentViewerCache() {}
