//go:build linux && (desktop || dev)

package desktop

/*
#cgo !webkit2_41 pkg-config: webkit2gtk-4.0
#cgo webkit2_41 pkg-config: webkit2gtk-4.1
#include <webkit2/webkit2.h>

// ecert_document_viewer runs on GTK's main loop, where WebKit must be called.
static gboolean ecert_document_viewer(gpointer data) {
	webkit_web_context_set_cache_model(webkit_web_context_get_default(), WEBKIT_CACHE_MODEL_DOCUMENT_VIEWER);
	return G_SOURCE_REMOVE;
}

static void ecert_use_document_viewer_cache(void) {
	g_idle_add(ecert_document_viewer, NULL);
}
*/
import "C"

// useDocumentViewerCache has WebKit keep the caches of a single local page rather than
// a browser's (its default): no back-forward page cache, a small memory cache. The
// window loads one page from the binary, so the browser's caches only held memory.
// WebKit sends the change to its processes, so it may be made as the window loads.
func useDocumentViewerCache() { C.ecert_use_document_viewer_cache() }
