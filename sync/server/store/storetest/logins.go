package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// Failed logins: counted per key after a time, the n-th most recent found, old ones
// forgotten.
func testLoginFailures(t *testing.T, s store.Store) {
	nth := func(key string, since time.Time, n int) (time.Time, bool) {
		t.Helper()
		at, ok, err := s.NthLoginFailure(ctx, key, since, n)
		if err != nil {
			t.Fatalf("NthLoginFailure(%s, %d): %v", key, n, err)
		}
		return at, ok
	}
	if _, ok := nth("user:a", base.Add(-time.Hour), 1); ok {
		t.Fatal("a failure of a key never recorded")
	}
	for i := range 3 {
		if err := s.AddLoginFailure(ctx, []string{"user:a", "addr:x"}, base.Add(time.Duration(i)*time.Second), base.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddLoginFailure(ctx, []string{"user:b"}, base.Add(5*time.Second), base.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		key   string
		since time.Time
		n     int
		want  time.Time
		found bool
	}{
		{"user:a", base.Add(-time.Second), 1, base.Add(2 * time.Second), true},
		{"user:a", base.Add(-time.Second), 3, base, true},
		{"user:a", base.Add(-time.Second), 4, time.Time{}, false},
		{"addr:x", base.Add(-time.Second), 2, base.Add(time.Second), true},
		// since is exclusive: the failure at base no longer counts.
		{"user:a", base, 2, base.Add(time.Second), true},
		{"user:a", base, 3, time.Time{}, false},
		{"user:b", base, 1, base.Add(5 * time.Second), true},
		{"user:c", base, 1, time.Time{}, false},
	} {
		at, ok := nth(c.key, c.since, c.n)
		if ok != c.found || !at.Equal(c.want) {
			t.Errorf("NthLoginFailure(%s, since %s, %d) = %s, %v; want %s, %v", c.key, c.since.Sub(base), c.n, at, ok, c.want, c.found)
		}
	}
	// A new failure drops those before forget, of every key.
	if err := s.AddLoginFailure(ctx, []string{"user:c"}, base.Add(10*time.Second), base.Add(2*time.Second)); err != nil {
		t.Fatal(err)
	}
	if at, ok := nth("user:a", base.Add(-time.Hour), 2); ok {
		t.Errorf("user:a's failures before forget are kept: second most recent at %s", at.Sub(base))
	}
	if at, ok := nth("user:a", base.Add(-time.Hour), 1); !ok || !at.Equal(base.Add(2*time.Second)) {
		t.Errorf("user:a's failure at forget: %s, %v; want kept", at.Sub(base), ok)
	}
}

// A locked key's slots are spaced delay apart, a slot beyond maxWait is refused and
// changes nothing, and concurrent takers never share a slot.
func testLoginSlots(t *testing.T, s store.Store) {
	const delay, maxWait = 2 * time.Second, 5 * time.Second
	take := func(now time.Time) (time.Time, bool) {
		t.Helper()
		slot, ok, err := s.TakeLoginSlot(ctx, "user:a", now, delay, maxWait)
		if err != nil {
			t.Fatal(err)
		}
		return slot, ok
	}
	for i, want := range []time.Duration{0, 2 * time.Second, 4 * time.Second} {
		if slot, ok := take(base); !ok || !slot.Equal(base.Add(want)) {
			t.Fatalf("slot %d = %s, %v; want %s, true", i, slot.Sub(base), ok, want)
		}
	}
	if slot, ok := take(base); ok || !slot.Equal(base.Add(6*time.Second)) {
		t.Fatalf("slot beyond maxWait = %s, %v; want 6s, false", slot.Sub(base), ok)
	}
	// The refusal changed nothing: a second later the same slot is within reach.
	if slot, ok := take(base.Add(time.Second)); !ok || !slot.Equal(base.Add(6*time.Second)) {
		t.Fatalf("slot after a refusal = %s, %v; want 6s, true", slot.Sub(base), ok)
	}
	// Long after, the key's next time is past: the slot is now.
	later := base.Add(time.Hour)
	if slot, ok := take(later); !ok || !slot.Equal(later) {
		t.Fatalf("slot an hour later = %s, %v; want now", slot.Sub(later), ok)
	}
	// Another key has slots of its own.
	if slot, ok, err := s.TakeLoginSlot(ctx, "user:b", base, delay, maxWait); err != nil || !ok || !slot.Equal(base) {
		t.Fatalf("user:b's first slot = %s, %v, %v; want now", slot.Sub(base), ok, err)
	}

	// Concurrent takers of a new key: every slot given once.
	const takers = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[time.Time]int{}
	for range takers {
		wg.Go(func() {
			slot, ok, err := s.TakeLoginSlot(ctx, "user:c", base, time.Millisecond, time.Hour)
			if err != nil || !ok {
				t.Errorf("concurrent take: %v, %v", ok, err)
				return
			}
			mu.Lock()
			seen[slot]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(seen) != takers {
		t.Errorf("%d concurrent takers got %d different slots: %v", takers, len(seen), seen)
	}
}
