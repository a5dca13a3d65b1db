package proxy

import (
	"context"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/client/proxy/pac"
)

// Limits of the failover between the proxies a script names ("PROXY a:1; PROXY b:2;
// DIRECT"), variables so that tests can change them.
var (
	// DeadFor is how long a proxy that could not be reached is passed over before it is
	// tried again.
	DeadFor = 2 * time.Minute
	// AliveFor is how long a proxy that answered is taken without being checked again:
	// each request asks for its proxy, and a check per request would double the
	// connections.
	AliveFor = 30 * time.Second
	// CheckTimeout bounds the connection that tells whether a proxy is up (a proxy that
	// does not answer at all, as well as one that refuses).
	CheckTimeout = 3 * time.Second
)

// health remembers which proxies of a script could be reached lately.
type health struct {
	mu   sync.Mutex
	seen map[string]check // by host:port
}

type check struct {
	up bool
	at time.Time
}

// forget drops what was seen: the host is on another network.
func (h *health) forget() {
	h.mu.Lock()
	h.seen = nil
	h.mu.Unlock()
}

// choose returns the first entry of ps that can be reached, connecting to the proxies not
// checked lately. The last entry is taken unchecked: nothing follows it to fall back on.
func (h *health) choose(ctx context.Context, ps []pac.Proxy, log *slog.Logger) pac.Proxy {
	for i, p := range ps {
		if p.Direct || i == len(ps)-1 || h.up(ctx, p.Addr, log) {
			return p
		}
	}
	return pac.Proxy{Direct: true} // unreachable: Find never returns an empty list
}

// up says whether the proxy at addr can be reached: what was seen lately, else a
// connection made now.
func (h *health) up(ctx context.Context, addr string, log *slog.Logger) bool {
	h.mu.Lock()
	last, ok := h.seen[addr]
	h.mu.Unlock()
	if ok {
		age := time.Since(last.at)
		if last.up && age < AliveFor {
			return true
		}
		if !last.up && age < DeadFor {
			return false
		}
	}
	dctx, cancel := context.WithTimeout(ctx, CheckTimeout)
	conn, err := (&net.Dialer{}).DialContext(dctx, "tcp", addr)
	cancel()
	if err == nil {
		conn.Close()
	} else if ctx.Err() != nil {
		// The request was given up meanwhile: that says nothing of the proxy.
		return true
	}
	h.mu.Lock()
	if h.seen == nil {
		h.seen = map[string]check{}
	}
	h.seen[addr] = check{up: err == nil, at: time.Now()}
	h.mu.Unlock()
	if err != nil && log != nil {
		log.Warn("a proxy of the system's proxy script cannot be reached: the next one is used", "proxy", addr, "error", err, "retry_after", DeadFor)
	}
	return err == nil
}
