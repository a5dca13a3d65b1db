package directory_test

import (
	"context"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/directory"
)

// directoryPages cuts the demo's 30,000 generated operators into pages of size, as a
// first pull brings them.
func directoryPages(size int) []api.DirectoryPage {
	ops := directory.Generate(directory.DemoSeed, 30000, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	var pages []api.DirectoryPage
	for i := 0; i < len(ops); i += size {
		end := min(i+size, len(ops))
		page := api.DirectoryPage{Operators: ops[i:end], After: int64(end), More: end < len(ops)}
		for j := range page.Operators {
			page.Operators[j].Seq = int64(i + j + 1)
		}
		pages = append(pages, page)
	}
	return pages
}

// BenchmarkApplyDirectoryFirstPull: a first pull's 30,000 operators applied to an empty
// replica, in the server's pages of 5,000 (the apply alone: no wire, no JSON).
func BenchmarkApplyDirectoryFirstPull(b *testing.B) {
	pages := directoryPages(5000)
	ctx := context.Background()
	cpu0 := cpuTime()
	for range b.N {
		b.StopTimer()
		s, err := store.Open(ctx, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for _, p := range pages {
			if err := s.ApplyDirectory(ctx, p); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	// The process's CPU, beside the wall time: on a shared machine it moves less.
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
}
