package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

func crashRecord(org string, n int, at time.Time) store.CrashRecord {
	return store.CrashRecord{OrgID: org, ReceivedAt: at, Report: api.CrashReport{
		ID: fmt.Sprintf("%032x", n), Kind: api.CrashPanic, Time: at.Format("2006-01-02T15:04Z"),
		Version: "1.0.0", OS: "windows", Arch: "amd64", Panic: "panic(string)",
		Frames: []string{"main.main app/main.go:12"},
	}}
}

func testCrashReports(t *testing.T, s store.Store) {
	fixture(t, s, "c1", "c2")
	day := base.Truncate(24 * time.Hour)

	// Kept, and a resend of the same report is not kept twice.
	if added, err := s.AddCrashReport(ctx, crashRecord("c1", 1, base), day, 2); err != nil || !added {
		t.Fatalf("first report: added %v, %v", added, err)
	}
	if added, err := s.AddCrashReport(ctx, crashRecord("c1", 1, base.Add(time.Minute)), day, 2); err != nil || added {
		t.Errorf("resent report: added %v, %v; want false, nil", added, err)
	}
	// Another organisation's report of the same id is its own.
	if added, err := s.AddCrashReport(ctx, crashRecord("c2", 1, base), day, 2); err != nil || !added {
		t.Errorf("the same id from another organisation: added %v, %v", added, err)
	}
	// The day's limit is per organisation.
	if _, err := s.AddCrashReport(ctx, crashRecord("c1", 2, base.Add(time.Hour)), day, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddCrashReport(ctx, crashRecord("c1", 3, base.Add(2*time.Hour)), day, 2); !errors.Is(err, store.ErrCrashLimit) {
		t.Errorf("third report of the day: got %v, want ErrCrashLimit", err)
	}
	// The next day counts again.
	if added, err := s.AddCrashReport(ctx, crashRecord("c1", 3, base.Add(25*time.Hour)), day.Add(24*time.Hour), 2); err != nil || !added {
		t.Errorf("next day: added %v, %v", added, err)
	}

	got, err := s.CrashReports(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("got %d reports, want 4", len(got))
	}
	if got[0].OrgID != "c1" || got[0].Report.ID != fmt.Sprintf("%032x", 3) || !got[0].ReceivedAt.Equal(base.Add(25*time.Hour)) {
		t.Errorf("newest first: got %+v", got[0])
	}
	if r := got[0].Report; r.Panic != "panic(string)" || len(r.Frames) != 1 || r.OS != "windows" {
		t.Errorf("the report did not come back whole: %+v", r)
	}
	if got, _ := s.CrashReports(ctx, 1); len(got) != 1 {
		t.Errorf("limit 1: got %d", len(got))
	}
}

func testConcurrentCrashReports(t *testing.T, s store.Store) {
	fixture(t, s, "c1")
	const perDay = 5
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.AddCrashReport(ctx, crashRecord("c1", i, base), base.Truncate(24*time.Hour), perDay)
		}()
	}
	wg.Wait()
	if got, _ := s.CrashReports(ctx, 100); len(got) != perDay {
		t.Errorf("%d reports kept by concurrent calls, want the limit %d", len(got), perDay)
	}
}
