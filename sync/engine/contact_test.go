package engine_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
	"github.com/ecert-desktop/ecert-desktop/sync/engine"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// linkDown makes every connection through the proxy fail at once, as a dropped link does.
func linkDown(p *servertest.Proxy) { p.AddToxic("down", "reset_peer", "upstream", `"timeout": 0`) }
func linkUp(p *servertest.Proxy)   { p.RemoveToxic("down") }

// counted is the real client, counting its health checks.
type counted struct {
	*client.Client
	health atomic.Int32
}

func (c *counted) Health(ctx context.Context) error {
	c.health.Add(1)
	return c.Client.Health(ctx)
}

// statusLog keeps every status the engine reports.
type statusLog struct {
	mu  sync.Mutex
	all []engine.Status
}

func (l *statusLog) add(s engine.Status) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all = append(l.all, s)
}

func (l *statusLog) list() []engine.Status {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]engine.Status(nil), l.all...)
}

// The first request that finds the link gone turns the status offline, while the sync
// is still running; the time of the last contact stays the last answer's.
func TestOfflineIsShownFromTheFirstFailedRequest(t *testing.T) {
	srv := servertest.Start(t)
	proxy := servertest.NewProxy(t, srv.URL)
	c := login(t, proxy.URL)
	st := newReplica(t)
	ctx := context.Background()
	clock := time.Date(2026, 12, 5, 14, 2, 0, 0, time.UTC)
	var log statusLog
	e := engine.New(st, c, engine.Options{Now: func() time.Time { return clock }, OnStatus: log.add})
	if err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if s := e.Status(); !s.Online || !s.LastContact.Equal(clock) {
		t.Fatalf("after a good sync: online %v, last contact %v; want true, %v", s.Online, s.LastContact, clock)
	}

	linkDown(proxy)
	st.writeMessage("NC-167140-2019", "Training done")
	clock = clock.Add(7 * time.Minute)
	before := len(log.list())
	if err := e.Sync(ctx); client.Code(err) != api.CodeUnreachable {
		t.Fatalf("sync with the link down: got %v, want unreachable", err)
	}
	s := e.Status()
	if s.Online {
		t.Error("still online after the link dropped")
	}
	if !s.LastContact.Equal(clock.Add(-7 * time.Minute)) {
		t.Errorf("last contact: got %v, want the last answer's time %v", s.LastContact, clock.Add(-7*time.Minute))
	}
	if s.Pending != 1 {
		t.Errorf("pending: got %d, want 1", s.Pending)
	}
	offlineMidSync := false
	for _, s := range log.list()[before:] {
		if !s.Online && s.Syncing {
			offlineMidSync = true
		}
	}
	if !offlineMidSync {
		t.Error("offline was reported only when the sync ended, not at the failed request")
	}

	// A refusal is an answer: the server is in touch even when it says no.
	linkUp(proxy)
	if err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if s := e.Status(); !s.Online || !s.LastContact.Equal(clock) || s.Pending != 0 {
		t.Errorf("back online: got online %v, last contact %v, pending %d", s.Online, s.LastContact, s.Pending)
	}
}

// A request that is not the engine's (a screen asking the server something through the
// same client) also moves the status: the app shows offline at the first request that
// finds the server gone, not at the next sync, and online again at the next answer.
func TestAnyRequestOfTheClientMovesTheStatus(t *testing.T) {
	srv := servertest.Start(t)
	proxy := servertest.NewProxy(t, srv.URL)
	c := login(t, proxy.URL)
	st := newReplica(t)
	ctx := context.Background()
	clock := time.Date(2026, 12, 5, 14, 2, 0, 0, time.UTC)
	var log statusLog
	e := engine.New(st, c, engine.Options{Now: func() time.Time { return clock }, OnStatus: log.add})
	if err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}

	linkDown(proxy)
	before := len(log.list())
	if _, err := c.Me(ctx); client.Code(err) != api.CodeUnreachable {
		t.Fatalf("a request with the link down: got %v, want unreachable", err)
	}
	if s := e.Status(); s.Online {
		t.Error("still online after a request found the server gone")
	}
	if l := log.list(); len(l) == before || l[len(l)-1].Online {
		t.Error("the UI was not told that the link is down")
	}

	linkUp(proxy)
	clock = clock.Add(3 * time.Minute)
	if _, err := c.Me(ctx); err != nil {
		t.Fatal(err)
	}
	if s := e.Status(); !s.Online || !s.LastContact.Equal(clock) {
		t.Errorf("after an answer: online %v, last contact %v; want true, %v", s.Online, s.LastContact, clock)
	}
	if l := log.list(); !l[len(l)-1].Online {
		t.Error("the UI was not told that the server answers again")
	}
}
