package demo_test

import (
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
)

// TestNCID checks that a demo NC's id ends with its audit's year, whichever the day.
func TestNCID(t *testing.T) {
	cases := []struct {
		today          time.Time
		number, wantID string
	}{
		// AO-38369 is 42 days before today, AO-28681 210 days, AO-41207 60 days.
		{time.Date(2019, 5, 20, 0, 0, 0, 0, time.UTC), "167140", "NC-167140-2019"},
		{time.Date(2019, 5, 20, 0, 0, 0, 0, time.UTC), demo.HiddenNCNumber, "NC-172233-2019"},
		{time.Date(2019, 5, 20, 0, 0, 0, 0, time.UTC), "174410", "NC-174410-2018"},
		{time.Date(2019, 5, 20, 0, 0, 0, 0, time.UTC), "171520", "NC-171520-2019"},
		// The audit six weeks ago is still of last year in early February.
		{time.Date(2027, 2, 10, 0, 0, 0, 0, time.UTC), "150424", "NC-150424-2026"},
		{time.Date(2027, 2, 12, 0, 0, 0, 0, time.UTC), "150424", "NC-150424-2027"},
		// The day is the calendar day of the time given, as Seed takes it.
		{time.Date(2027, 2, 11, 23, 30, 0, 0, time.FixedZone("UTC-5", -5*3600)), "150424", "NC-150424-2026"},
	}
	for _, c := range cases {
		if got := demo.NCID(c.today, c.number); got != c.wantID {
			t.Errorf("NCID(%s, %s) = %s, want %s", c.today, c.number, got, c.wantID)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("NCID of a number the demo does not have did not panic")
		}
	}()
	demo.NCID(time.Now(), "999999")
}
