package engine_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/engine"
	"github.com/ecert-desktop/ecert-desktop/sync/engine/heartbeat"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// The heartbeat's tests live beside the engine's: they run the real engine, on the
// test replica, against the real server behind toxiproxy.

// blackhole makes the link swallow every byte without an answer, as a dead Wi-Fi or a
// pulled cable does: only a timeout tells.
func blackhole(p *servertest.Proxy) { p.AddToxic("hole", "timeout", "upstream", `"timeout": 0`) }

// running starts e and h until the test ends, and waits for the first sync.
func running(t *testing.T, e *engine.Engine, h *heartbeat.Heartbeat) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _ = e.Serve(ctx) }()
	go func() {
		defer wg.Done()
		if err := h.Serve(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("heartbeat Serve: %v", err)
		}
	}()
	t.Cleanup(func() { cancel(); wg.Wait() })
	within(t, 10*time.Second, "the first sync", func() bool { return !e.Status().LastSync.IsZero() })
}

// within polls cond until it holds, failing the test after d.
func within(t *testing.T, d time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > d {
			t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return time.Since(start)
}

// syncsAfter counts the syncs that started after status number from of log.
func syncsAfter(log *statusLog, from int) int {
	n, was := 0, false
	for _, s := range log.list()[from:] {
		if s.Syncing && !was {
			n++
		}
		was = s.Syncing
	}
	return n
}

// While the app is idle, a dropped link shows as offline within the heartbeat's idle
// period and a probe's timeout, with no sync running; when the server answers again,
// the work that waited goes at once, long before the engine's backoff ends.
func TestHeartbeatShowsADroppedLinkWhileIdleAndSendsTheWorkWhenBack(t *testing.T) {
	srv := servertest.Start(t)
	proxy := servertest.NewProxy(t, srv.URL)
	c := &counted{Client: login(t, proxy.URL)}
	st := newReplica(t)
	var log statusLog
	// Syncs an hour apart, retries a minute apart: only the heartbeat can act within
	// the test.
	e := engine.New(st, c, engine.Options{Interval: time.Hour, MinBackoff: time.Minute, MaxBackoff: time.Minute,
		ProbeTimeout: 300 * time.Millisecond, OnStatus: log.add})
	h := heartbeat.New(e, heartbeat.Options{Busy: 100 * time.Millisecond, Idle: 300 * time.Millisecond, MaxBackoff: 500 * time.Millisecond})
	running(t, e, h)
	if s := e.Status(); !s.Online {
		t.Fatalf("after the first sync: %+v", s)
	}

	// Idle and online: a probe now and then, no sync.
	before, probes := len(log.list()), c.health.Load()
	time.Sleep(time.Second)
	if n := c.health.Load() - probes; n < 2 || n > 6 {
		t.Errorf("probes in 1 s while idle every 300 ms: %d", n)
	}

	blackhole(proxy)
	took := within(t, 3*time.Second, "offline after the link dropped", func() bool { return !e.Status().Online })
	t.Logf("offline shown %v after the link dropped", took.Round(10*time.Millisecond))
	if n := syncsAfter(&log, before); n != 0 {
		t.Errorf("%d syncs ran: offline must show without one", n)
	}
	if s := e.Status(); s.LastError != "" || s.LastContact.IsZero() {
		t.Errorf("offline while idle: last error %q (no sync failed), last contact %v (kept)", s.LastError, s.LastContact)
	}

	// Something is written offline: its sync fails at once, and the engine backs off
	// for a minute.
	proxy.RemoveToxic("hole")
	linkDown(proxy)
	st.writeMessage("NC-167140-2019", "Register signed")
	e.SyncNow()
	within(t, 5*time.Second, "the failed sync", func() bool {
		s := e.Status()
		return s.LastError == api.CodeUnreachable && s.Pending == 1 && !s.Syncing
	})
	probes = c.health.Load()
	within(t, 5*time.Second, "probes while offline with work waiting", func() bool { return c.health.Load() >= probes+3 })
	if e.Status().Online {
		t.Error("online while every probe fails")
	}

	linkUp(proxy)
	from := len(log.list())
	took = within(t, 5*time.Second, "the message sent after the link came back", func() bool {
		s := e.Status()
		return s.Online && s.Pending == 0 && s.LastError == ""
	})
	t.Logf("sent %v after the link came back (the engine's backoff: a minute)", took.Round(10*time.Millisecond))
	if n := syncsAfter(&log, from); n != 1 {
		t.Errorf("syncs after the link came back: %d, want the one the heartbeat asked for", n)
	}
	if got := st.rejected(); len(got) != 0 {
		t.Errorf("rejected: %v", got)
	}
}

// A network change (Nudge) probes at once, whatever the period: a drop shows at the
// change, not at the next look.
func TestHeartbeatNudgeProbesAtOnce(t *testing.T) {
	srv := servertest.Start(t)
	proxy := servertest.NewProxy(t, srv.URL)
	c := &counted{Client: login(t, proxy.URL)}
	e := engine.New(newReplica(t), c, engine.Options{Interval: time.Hour, MinBackoff: time.Minute, MaxBackoff: time.Minute})
	h := heartbeat.New(e, heartbeat.Options{Busy: time.Hour, Idle: time.Hour})
	running(t, e, h)
	time.Sleep(200 * time.Millisecond)
	if n := c.health.Load(); n != 0 {
		t.Errorf("probed %d times within the hour's period", n)
	}
	linkDown(proxy)
	h.Nudge()
	within(t, 2*time.Second, "offline after the network changed", func() bool { return !e.Status().Online })
	linkUp(proxy)
	h.Nudge()
	within(t, 2*time.Second, "online after the network changed again", func() bool { return e.Status().Online })
	if n := c.health.Load(); n != 2 {
		t.Errorf("probes: %d, want one per change", n)
	}
}

// looking counts how often the heartbeat looks at the engine's status.
type looking struct {
	*engine.Engine
	n atomic.Int64
}

func (l *looking) Status() engine.Status {
	l.n.Add(1)
	return l.Engine.Status()
}

// The heartbeat never spins: not when the engine stamps its contacts with a clock far
// from the heartbeat's (the app's tests fix the session's clock in 2019), and not while
// one of a sync's requests takes longer than a period.
func TestHeartbeatNeverSpins(t *testing.T) {
	srv := servertest.Start(t)
	proxy := servertest.NewProxy(t, srv.URL)
	c := &counted{Client: login(t, proxy.URL)}
	past := time.Date(2019, 6, 1, 12, 0, 0, 0, time.UTC)
	e := engine.New(newReplica(t), c, engine.Options{Interval: time.Hour, MinBackoff: time.Minute,
		MaxBackoff: time.Minute, Now: func() time.Time { return past }})
	looks := &looking{Engine: e}
	h := heartbeat.New(looks, heartbeat.Options{Busy: 100 * time.Millisecond, Idle: 300 * time.Millisecond})
	running(t, e, h)

	c.health.Store(0)
	time.Sleep(1500 * time.Millisecond)
	if n := c.health.Load(); n > 8 {
		t.Errorf("idle for 1.5 s with a 300 ms period: %d probes, want at most one a period", n)
	}

	proxy.AddToxic("slow", "latency", "downstream", `"latency": 1500`)
	e.SyncNow()
	within(t, 5*time.Second, "the slow sync starts", func() bool { return e.Status().Syncing })
	before := looks.n.Load()
	time.Sleep(time.Second)
	if n := looks.n.Load() - before; n > 60 {
		t.Errorf("during one slow request of a sync: %d looks at the status in 1 s, want a few a 100 ms period", n)
	}
}
