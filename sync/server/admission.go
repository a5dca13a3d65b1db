package server

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
)

// Admission control: a bound on the API requests served at once. Past it a request
// waits a short while for a slot, then is shed with 503 overloaded and Retry-After, so
// overload makes the server answer "later" quickly instead of queueing without end
// until memory, file handles or the database's connections run out.

// Defaults of the admission limit (Config.MaxInFlight, Config.QueueWait).
const (
	DefaultMaxInFlight = 64
	DefaultQueueWait   = 250 * time.Millisecond
)

// ShedRetryAfter is the Retry-After of a shed request. A package variable so that
// tests may change it. Clients add their own jitter to it.
var ShedRetryAfter = 2 * time.Second

// admission is a semaphore of in-flight requests with a bounded wait for a slot.
// A nil *admission admits everything.
type admission struct {
	slots chan struct{}
	wait  time.Duration
}

// newAdmission returns the limit of a configuration: max < 0 means none.
func newAdmission(max int, wait time.Duration) *admission {
	switch {
	case max < 0:
		return nil
	case max == 0:
		max = DefaultMaxInFlight
	}
	if wait <= 0 {
		wait = DefaultQueueWait
	}
	return &admission{slots: make(chan struct{}, max), wait: wait}
}

// enter takes a slot, waiting at most the queue wait; it reports whether it got one.
// A caller that got one must leave.
func (a *admission) enter(ctx context.Context) bool {
	if a == nil {
		return true
	}
	select {
	case a.slots <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(a.wait)
	defer t.Stop()
	select {
	case a.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

func (a *admission) leave() {
	if a != nil {
		<-a.slots
	}
}

// admitted serves next only with a slot of the admission limit, and sheds the request
// otherwise (503 overloaded, Retry-After).
func (s *Server) admitted(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.admit.enter(r.Context()) {
			s.metrics.shed.Add(1)
			w.Header().Set("Retry-After", strconv.Itoa(max(1, int(ShedRetryAfter/time.Second))))
			s.writeError(w, r, problem.New(api.CodeOverloaded, "the server is busy; try again after Retry-After seconds"))
			return
		}
		defer s.admit.leave()
		s.metrics.inFlight.Add(1)
		defer s.metrics.inFlight.Add(-1)
		next.ServeHTTP(w, r)
	})
}

// admits reports whether a route goes through the admission limit. Health answers
// a load balancer even under load; a PATCH of an upload streams a chunk for as long as
// the link takes, mostly waiting on the network — a few slow links must not hold the
// slots of everyone's syncs (its database use is bounded by the pool).
func admits(r Route) bool {
	switch {
	case r.Path == "/health":
		return false
	case r.Method == http.MethodPatch && r.Path == api.UploadsPath+"{id}":
		return false
	}
	return true
}
