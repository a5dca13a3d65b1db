package heartbeat

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/engine"
)

// Link is what the heartbeat needs of the sync engine (*engine.Engine).
type Link interface {
	Status() engine.Status
	// WorkWaits says whether outbox entries or uploads wait for the server.
	WorkWaits() bool
	// Probe asks the server's health once and records the answer in the status.
	Probe(ctx context.Context) bool
	SyncNow()
}

var _ Link = (*engine.Engine)(nil)

// Options tune the heartbeat. Zero values take the defaults.
type Options struct {
	// Busy is the probe period while work waits (default 3 s): it goes as soon as the
	// server answers, and a drop shows within seconds.
	Busy time.Duration
	// Idle is the probe period while online with nothing waiting (default 20 s). A
	// request of any kind within the period stands in for the probe.
	Idle time.Duration
	// MaxBackoff caps the wait between probes while offline with nothing waiting
	// (default 60 s); with work waiting the cap is four Busy periods.
	MaxBackoff time.Duration
	Logger     *slog.Logger
	Now        func() time.Time // the clock (tests replace it)
}

// Heartbeat probes one engine's server. Create it with New and run Serve.
type Heartbeat struct {
	link  Link
	opt   Options
	nudge chan struct{}
}

// New returns a heartbeat of link.
func New(link Link, opt Options) *Heartbeat {
	if opt.Busy == 0 {
		opt.Busy = 3 * time.Second
	}
	if opt.Idle == 0 {
		opt.Idle = 20 * time.Second
	}
	if opt.MaxBackoff == 0 {
		opt.MaxBackoff = 60 * time.Second
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Heartbeat{link: link, opt: opt, nudge: make(chan struct{}, 1)}
}

// Nudge asks for a probe at once (the system's network changed). It never blocks;
// nudges that come while one waits make one probe.
func (h *Heartbeat) Nudge() {
	select {
	case h.nudge <- struct{}{}:
	default:
	}
}

// Serve probes until ctx is done, then returns ctx.Err(). One probe at a time: the
// next waits for the last one's answer (or its timeout), so requests never pile up.
func (h *Heartbeat) Serve(ctx context.Context) error {
	failures := 0
	var c contact
	for {
		st := h.link.Status()
		work := h.link.WorkWaits()
		t := time.NewTimer(h.wait(st, work, failures, c.since(st, h.opt.Now())))
		nudged := false
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-h.nudge:
			nudged = true
			failures = 0 // a new network: try it now, and soon again
		case <-t.C:
		}
		t.Stop()
		st, work = h.link.Status(), h.link.WorkWaits()
		if st.Syncing {
			continue // the sync's own requests tell of the link
		}
		if !nudged && st.Online && c.since(st, h.opt.Now()) < h.period(work) {
			continue // a request answered lately: no need to ask
		}
		if !h.link.Probe(ctx) {
			if ctx.Err() == nil {
				failures++
			}
			continue
		}
		failures = 0
		// Back, or the last sync failed on the link: sync now, not at the end of the
		// engine's backoff, so that what waits goes and the analyst's news comes.
		if !st.Online || engine.LinkLost(st.LastError) {
			h.opt.Logger.Info("the server answers again: syncing", "work_waits", work)
			h.link.SyncNow()
		}
	}
}

// period is how often the link is checked while online.
func (h *Heartbeat) period(work bool) time.Duration {
	if work {
		return h.opt.Busy
	}
	return h.opt.Idle
}

// wait is the time until the next look at the link: while a sync runs, Busy (its own
// requests tell of the link, and one of them may take minutes); while online, until the
// last contact is one period old, but never less than an eighth of the period, so that
// the loop cannot spin; while offline, from Busy, doubling with each failed probe up to
// the cap, with jitter so that many clients do not come back together.
func (h *Heartbeat) wait(st engine.Status, work bool, failures int, since time.Duration) time.Duration {
	if st.Syncing {
		return h.opt.Busy
	}
	if st.Online {
		p := h.period(work)
		return min(p, max(p/8, p-since))
	}
	if failures == 0 {
		return h.opt.Busy
	}
	hi := h.opt.MaxBackoff
	if work {
		hi = min(hi, 4*h.opt.Busy)
	}
	d := h.opt.Busy
	for i := 1; i < failures && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	return d/2 + rand.N(d/2+1)
}

// contact is how long ago the engine last heard from the server, on the heartbeat's
// own clock: the engine stamps its contacts with the session's clock, which tests fix
// in the past, so the two are never compared; only a new answer is noticed.
type contact struct {
	count uint64    // the engine's Contacts when it last changed
	seen  time.Time // when, on the heartbeat's clock, that change was noticed
}

func (c *contact) since(st engine.Status, now time.Time) time.Duration {
	if st.Contacts != c.count {
		c.count, c.seen = st.Contacts, now
	}
	if c.seen.IsZero() {
		return time.Duration(1<<63 - 1) // never heard from: look now
	}
	return now.Sub(c.seen)
}
