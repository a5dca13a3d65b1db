package app_test

import (
	"context"
	"testing"
)

// BenchmarkIdleSyncLarge is the idle sync of BenchmarkIdleSync on the large
// organisation's replica: what it costs beyond the small one's is work that grows with
// the replica.
func BenchmarkIdleSyncLarge(b *testing.B) {
	srv := largeServer(b)
	a := benchApp(b, srv.URL, "large")
	if err := a.SyncOnce(context.Background(), nil, nil); err != nil {
		b.Fatal(err)
	}
	reqs, bytes := srv.Requests.Load(), srv.Bytes.Load()
	b.ResetTimer()
	for range b.N {
		if err := a.SyncOnce(context.Background(), nil, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(srv.Requests.Load()-reqs)/float64(b.N), "requests/op")
	b.ReportMetric(float64(srv.Bytes.Load()-bytes)/float64(b.N), "wire-B/op")
}
