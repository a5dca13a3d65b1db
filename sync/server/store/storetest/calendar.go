package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// testCalendarFeeds: one feed per user, found by its hash; putting another rotates it
// (the old hash is gone), deleting revokes it; a stamp moves only with new content.
func testCalendarFeeds(t *testing.T, s store.Store) {
	fixture(t, s, "100", "200")
	if _, err := s.CalendarFeed(ctx, "h1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("CalendarFeed before any: %v, want ErrNotFound", err)
	}
	if err := s.PutCalendarFeed(ctx, store.CalendarFeedRecord{Username: "nobody", Hash: "h0", Lang: "fr", CreatedAt: base}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("PutCalendarFeed(unknown user) = %v, want ErrNotFound", err)
	}
	put := func(user, hash, lang string, at time.Time) {
		t.Helper()
		// ETag and ChangedAt given are ignored: a new feed has served nothing yet.
		if err := s.PutCalendarFeed(ctx, store.CalendarFeedRecord{Username: user, Hash: hash, Lang: lang, CreatedAt: at,
			ETag: "stale", ChangedAt: at.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	put("user-100", "h1", "fr", base)
	put("user-200", "h2", "en", base.Add(time.Second))
	f, err := s.CalendarFeed(ctx, "h1")
	want := store.CalendarFeedRecord{Username: "user-100", Hash: "h1", Lang: "fr", CreatedAt: base, ChangedAt: base}
	if err != nil || f != want {
		t.Errorf("CalendarFeed(h1) = %+v, %v; want %+v", f, err, want)
	}
	if f, err := s.UserCalendarFeed(ctx, "user-200"); err != nil || f.Hash != "h2" || f.Lang != "en" {
		t.Errorf("UserCalendarFeed(user-200) = %+v, %v", f, err)
	}
	if _, err := s.UserCalendarFeed(ctx, "analyst"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UserCalendarFeed(analyst) = %v, want ErrNotFound", err)
	}

	// Stamps: new content moves the time; the same content keeps the first time.
	stamp := func(hash, etag string, at time.Time) store.CalendarFeedRecord {
		t.Helper()
		f, err := s.StampCalendarFeed(ctx, hash, etag, at)
		if err != nil {
			t.Fatalf("StampCalendarFeed(%s, %s): %v", hash, etag, err)
		}
		return f
	}
	if f := stamp("h1", "e1", base.Add(time.Minute)); f.ETag != "e1" || !f.ChangedAt.Equal(base.Add(time.Minute)) {
		t.Errorf("first stamp: %+v", f)
	}
	if f := stamp("h1", "e1", base.Add(2*time.Minute)); f.ETag != "e1" || !f.ChangedAt.Equal(base.Add(time.Minute)) {
		t.Errorf("same content: ChangedAt moved to %s", f.ChangedAt.Sub(base))
	}
	if f := stamp("h1", "e2", base.Add(3*time.Minute)); f.ETag != "e2" || !f.ChangedAt.Equal(base.Add(3*time.Minute)) {
		t.Errorf("new content: %+v", f)
	}
	if _, err := s.StampCalendarFeed(ctx, "nope", "e1", base); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("StampCalendarFeed(unknown) = %v, want ErrNotFound", err)
	}
	if f, _ := s.CalendarFeed(ctx, "h2"); f.ETag != "" {
		t.Errorf("another user's feed was stamped: %+v", f)
	}

	// Rotation: the old hash stops at once, the new one starts afresh.
	put("user-100", "h1b", "es", base.Add(time.Hour))
	if _, err := s.CalendarFeed(ctx, "h1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the rotated hash still finds a feed: %v", err)
	}
	f, err = s.CalendarFeed(ctx, "h1b")
	want = store.CalendarFeedRecord{Username: "user-100", Hash: "h1b", Lang: "es", CreatedAt: base.Add(time.Hour), ChangedAt: base.Add(time.Hour)}
	if err != nil || f != want {
		t.Errorf("after rotation: %+v, %v; want %+v", f, err, want)
	}
	// A hash another user's feed has is refused, and changes nothing.
	if err := s.PutCalendarFeed(ctx, store.CalendarFeedRecord{Username: "user-100", Hash: "h2", Lang: "fr", CreatedAt: base}); err == nil {
		t.Error("two feeds with one hash")
	}
	if f, _ := s.CalendarFeed(ctx, "h2"); f.Username != "user-200" {
		t.Errorf("h2 now belongs to %q", f.Username)
	}

	// Revocation: idempotent, and the other user's feed stays.
	for range 2 {
		if err := s.DeleteCalendarFeed(ctx, "user-100"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CalendarFeed(ctx, "h1b"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a revoked feed is found: %v", err)
	}
	if _, err := s.UserCalendarFeed(ctx, "user-200"); err != nil {
		t.Errorf("revoking one user's feed touched another's: %v", err)
	}
	if err := s.DeleteCalendarFeed(ctx, "nobody"); err != nil {
		t.Errorf("DeleteCalendarFeed(unknown) = %v, want nil", err)
	}

	// Disabling an account ends its feed with its sessions; enabling does not revive it.
	if err := s.SetUserDisabled(ctx, "user-200", true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserDisabled(ctx, "user-200", false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CalendarFeed(ctx, "h2"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a disabled account's feed is found: %v", err)
	}
}

// testConcurrentFeedStamps: nodes serving the same new content at once keep one time.
func testConcurrentFeedStamps(t *testing.T, s store.Store) {
	fixture(t, s, "100")
	if err := s.PutCalendarFeed(ctx, store.CalendarFeedRecord{Username: "user-100", Hash: "h", Lang: "fr", CreatedAt: base}); err != nil {
		t.Fatal(err)
	}
	const n = 8
	got := make([]store.CalendarFeedRecord, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			f, err := s.StampCalendarFeed(ctx, "h", "e", base.Add(time.Duration(i+1)*time.Second))
			if err != nil {
				t.Error(err)
			}
			got[i] = f
		})
	}
	wg.Wait()
	final, err := s.CalendarFeed(ctx, "h")
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range got {
		if !f.ChangedAt.Equal(final.ChangedAt) {
			t.Errorf("stamp %d saw %s, the store kept %s", i, f.ChangedAt.Sub(base), final.ChangedAt.Sub(base))
		}
	}
}
