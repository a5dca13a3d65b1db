package memrelease

import (
	"runtime"
	"testing"
)

var sink [][]byte

// After a burst of allocations that are then dropped, Check gives the free heap back to
// the system at once; with little free, it does nothing.
func TestCheckReturnsTheFreeHeapAfterABurst(t *testing.T) {
	const threshold = 16 << 20
	for range 256 {
		b := make([]byte, 1<<20)
		b[0] = 1
		sink = append(sink, b)
	}
	sink = nil
	runtime.GC()
	// The background scavenger returns a few megabytes a second at most: most of the
	// 256 MiB freed is still held.
	if free := Free(); free <= threshold {
		t.Fatalf("free heap after the burst %d B, want above %d", free, threshold)
	}
	if !Check(threshold) {
		t.Fatal("Check did not release the free heap")
	}
	if free := Free(); free > threshold {
		t.Errorf("free heap after Check %d B, want at most %d", free, threshold)
	}
	if Check(threshold) {
		t.Error("Check released again with nothing above the threshold")
	}
}
