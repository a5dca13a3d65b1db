package client_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
	"github.com/ecert-desktop/ecert-desktop/sync/server"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// A server that sheds load answers 503 overloaded with Retry-After: the client keeps
// the code (retryable) and the wait, which the engine honours before its next try.
func TestOverloadedKeepsItsCodeAndRetryAfter(t *testing.T) {
	srv := servertest.StartWith(t, func(c *server.Config) { c.MaxInFlight, c.QueueWait = 1, time.Millisecond })
	ctx := context.Background()
	c, _ := client.New(srv.URL)
	if _, err := c.Login(ctx, "coop", "coop"); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var shed []error
	var wg sync.WaitGroup
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Changes(ctx, "", 10000); err != nil {
				mu.Lock()
				shed = append(shed, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(shed) == 0 {
		t.Skip("no request was shed: the machine served 40 at once through one slot")
	}
	for _, err := range shed {
		if client.Code(err) != api.CodeOverloaded || !client.Temporary(err) || client.RetryAfter(err) < time.Second {
			t.Fatalf("shed request: code %q, temporary %v, retry after %v (%v)",
				client.Code(err), client.Temporary(err), client.RetryAfter(err), err)
		}
	}
}

// Too many failed logins: 429 rate_limited, with the wait the server asks for.
func TestRateLimitedCarriesRetryAfter(t *testing.T) {
	srv := servertest.Start(t)
	ctx := context.Background()
	c, _ := client.New(srv.URL)
	var err error
	for range 20 {
		if _, err = c.Login(ctx, "coop", "wrong"); client.Code(err) == api.CodeRateLimited {
			break
		}
	}
	if client.Code(err) != api.CodeRateLimited || client.RetryAfter(err) <= 0 {
		t.Fatalf("after 20 wrong passwords: code %q, retry after %v", client.Code(err), client.RetryAfter(err))
	}
}
