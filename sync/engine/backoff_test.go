package engine

import (
	"testing"
	"time"
)

func TestBackoffDoublesUpToTheCapWithJitter(t *testing.T) {
	lo, hi := time.Second, 30*time.Second
	tests := []struct {
		retry    int
		min, max time.Duration // the wait is drawn from the upper half of the step
	}{
		{1, 500 * time.Millisecond, time.Second},
		{2, time.Second, 2 * time.Second},
		{3, 2 * time.Second, 4 * time.Second},
		{5, 8 * time.Second, 16 * time.Second},
		{6, 15 * time.Second, 30 * time.Second}, // 32 s capped at 30 s
		{50, 15 * time.Second, 30 * time.Second},
	}
	for _, tt := range tests {
		seen := map[time.Duration]bool{}
		for range 200 {
			d := backoff(lo, hi, tt.retry)
			if d < tt.min || d > tt.max {
				t.Fatalf("retry %d: got %v, want within [%v, %v]", tt.retry, d, tt.min, tt.max)
			}
			seen[d] = true
		}
		// Jitter: 200 draws must not all be the same wait.
		if len(seen) < 10 {
			t.Errorf("retry %d: only %d distinct waits in 200 draws; want jitter", tt.retry, len(seen))
		}
	}
}
