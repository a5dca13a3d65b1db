package desktop

import (
	"runtime/debug"
	"sync"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app"
)

// releaseEvery is the least time between two releases of memory after syncs: the
// periodic idle syncs allocate little, and memory given back is faulted in again.
const releaseEvery = 5 * time.Minute

// releaser gives the memory a sync freed back to the system once the sync has ended. A
// first sync of a large organisation leaves tens of megabytes that Go's heap and the C
// allocator (SQLite's) keep for reuse; the window is then idle for long stretches.
type releaser struct {
	mu      sync.Mutex
	syncing bool
	last    time.Time
	release func()
}

func newReleaser() *releaser { return &releaser{release: releaseMemory} }

// observe looks at what the app sends the UI for the end of a sync.
func (r *releaser) observe(event string, data any) {
	if r == nil || event != app.EventSyncStatus {
		return
	}
	st, ok := data.(app.SyncStatus)
	if !ok {
		return
	}
	r.mu.Lock()
	ended := r.syncing && !st.Syncing
	r.syncing = st.Syncing
	due := ended && time.Since(r.last) >= releaseEvery
	if due {
		r.last = time.Now()
	}
	r.mu.Unlock()
	if due {
		go r.release()
	}
}

// releaseMemory returns the freed pages of Go's heap and of the C heap to the system.
func releaseMemory() {
	debug.FreeOSMemory()
	trimCHeap()
}
