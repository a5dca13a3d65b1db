package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs"
	"github.com/ecert-desktop/ecert-desktop/sync/server/httpjson"
	"github.com/ecert-desktop/ecert-desktop/sync/server/logkey"
)

// ReadyPath is the load balancer's probe (outside the API's version prefix): 200 when
// this node can serve — its database answers and its blob store is reachable — and
// 503 otherwise or once it drains. The API's /health stays a plain connectivity probe
// for clients: it answers as long as the process does.
const ReadyPath = "/readyz"

// readyTimeout bounds each check, well within a load balancer's check timeout.
const readyTimeout = 2 * time.Second

// probeHash is a hash no file has: opening it reaches the blob store and must answer
// blobs.ErrNotFound.
var probeHash = strings.Repeat("0", 64)

// pinger is a store that can check its database answers (sqlite and postgres).
type pinger interface {
	Ping(ctx context.Context) error
}

// Drain makes the readiness probe answer 503 from now on, so that a load balancer
// sends this node no new requests; it goes on serving those that come. The process
// then waits for the balancer to notice before it stops (ecert-server --drain-wait).
func (s *Server) Drain() { s.draining.Store(true) }

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		httpjson.Write(w, r, http.StatusServiceUnavailable, map[string]string{"status": "draining"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	if p, ok := s.store.(pinger); ok {
		if err := p.Ping(ctx); err != nil {
			s.log.WarnContext(ctx, "not ready: database", logkey.Error, err)
			httpjson.Write(w, r, http.StatusServiceUnavailable, map[string]string{"status": "database unreachable"})
			return
		}
	}
	rc, err := s.blobs.Open(ctx, probeHash)
	if err == nil {
		rc.Close()
	} else if !errors.Is(err, blobs.ErrNotFound) {
		s.log.WarnContext(ctx, "not ready: blob store", logkey.Error, err)
		httpjson.Write(w, r, http.StatusServiceUnavailable, map[string]string{"status": "blob store unreachable"})
		return
	}
	httpjson.Write(w, r, http.StatusOK, map[string]string{"status": "ready"})
}
