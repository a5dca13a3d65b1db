// Package memrelease gives back to the system the memory the Go heap keeps free after a
// burst of load. Under overload the server holds thousands of connections at once, each
// with its goroutine and buffers; once they close, the runtime keeps the freed pages and
// returns them only at the slow pace of its background scavenger, so the process's
// resident memory stays near its peak for many minutes after the load stopped.
package memrelease

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Interval is how often Run looks, and Threshold how much free, unreturned heap it
// leaves alone: below it, a forced collection would cost more than the memory is worth.
const (
	Interval  = 30 * time.Second
	Threshold = 64 << 20
)

// freeHeap is the runtime's count of heap memory free and not yet returned.
const freeHeap = "/memory/classes/heap/free:bytes"

// Free returns the bytes of the heap that are free and not yet returned to the system.
func Free() uint64 {
	s := []metrics.Sample{{Name: freeHeap}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// Check returns the free heap to the system when it exceeds threshold bytes, and says
// whether it did; the C heap's free memory (SQLite's) goes back with it.
func Check(threshold uint64) bool {
	if Free() <= threshold {
		return false
	}
	debug.FreeOSMemory()
	trimCHeap()
	return true
}

// Run checks every interval until ctx ends.
func Run(ctx context.Context, interval time.Duration, threshold uint64) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			Check(threshold)
		}
	}
}
