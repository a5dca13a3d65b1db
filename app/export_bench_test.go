package app_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/app/exports"
)

// peakHeap samples the live heap every few milliseconds while op runs and returns the
// highest value seen above the heap before it, in bytes.
func peakHeap(op func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > base && m.HeapAlloc-base > peak.Load() {
				peak.Store(m.HeapAlloc - base)
			}
		}
	}()
	op()
	close(done)
	return peak.Load()
}

// BenchmarkExportRegister writes the large organisation's register (5,000 NCs) as XLSX
// and PDF, and its calendar, from a synced replica; it reports the file's size and the
// peak of the live heap above what the replica already holds.
func BenchmarkExportRegister(b *testing.B) {
	a := localApp(b)
	dir := b.TempDir()
	for _, format := range []string{"xlsx", "pdf", "ics"} {
		b.Run(format, func(b *testing.B) {
			path := filepath.Join(dir, "register."+format)
			var rows int
			var peak uint64
			b.ResetTimer()
			for range b.N {
				peak = max(peak, peakHeap(func() {
					var err error
					if format == "ics" {
						rows, err = exports.WriteCalendar(context.Background(), a.Export, path, "fr")
					} else {
						rows, err = exports.WriteRegister(context.Background(), a.Export, path, format, app.FilterAll, "fr", nil)
					}
					if err != nil {
						b.Fatal(err)
					}
				}))
			}
			b.StopTimer()
			st, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(rows), "rows")
			b.ReportMetric(float64(st.Size())/(1<<20), "file-MB")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}
