package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app"
	"github.com/ecert-desktop/ecert-desktop/sync/engine/heartbeat"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// The window's status follows the link while nothing syncs: with syncs an hour apart
// and retries an hour apart, the heartbeat alone shows the drop, keeps the last
// contact, and sends what was written offline once the server answers.
func TestStatusTurnsOfflineWhileIdleAndBackWithTheWorkSent(t *testing.T) {
	srv := servertest.Start(t)
	proxy := servertest.NewProxy(t, srv.URL)
	p := &recorder{}
	a := app.New(app.Config{DataDir: t.TempDir(), Platform: p, Now: func() time.Time { return today },
		SyncInterval: time.Hour, MaxBackoff: time.Hour,
		Heartbeat: heartbeat.Options{Busy: 100 * time.Millisecond, Idle: 200 * time.Millisecond, MaxBackoff: 400 * time.Millisecond}})
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if _, err := a.Session.Login(proxy.URL, "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the first sync", func() bool {
		s := a.Sync.Status()
		return s.LastSync != "" && s.Online && !s.Syncing
	})
	synced := a.Sync.Status().LastSync

	offline(proxy)
	cut := time.Now()
	eventually(t, "offline shown while idle", func() bool { return !a.Sync.Status().Online })
	if d := time.Since(cut); d > 3*time.Second {
		t.Errorf("offline shown %v after the drop, want within a few seconds", d)
	}
	s := a.Sync.Status()
	if s.LastError != "" || s.LastContact == "" || s.LastSync != synced {
		t.Errorf("offline while idle: error %q (no sync failed), last contact %q (kept), last sync %q (was %q)",
			s.LastError, s.LastContact, s.LastSync, synced)
	}

	// Written offline: it waits, said as waiting, not as an error.
	if err := a.Outbox.Message("NC-167140-2019", "Écrit hors ligne."); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the message pending", func() bool { s := a.Sync.Status(); return s.Pending == 1 && !s.Syncing })
	time.Sleep(300 * time.Millisecond)
	if s := a.Sync.Status(); s.Online || s.Pending != 1 {
		t.Fatalf("offline with a message written: %+v", s)
	}

	online(proxy)
	back := time.Now()
	eventually(t, "online with the message sent", func() bool {
		s := a.Sync.Status()
		return s.Online && s.Pending == 0 && s.LastError == ""
	})
	if d := time.Since(back); d > 5*time.Second {
		t.Errorf("the message went %v after the link came back", d)
	}
}
