package store

import (
	"context"
	"time"
)

// LoginFailures keeps the failed logins that the login limits count (package auth), in
// the database, so that every node serving one database counts the same attempts: a
// guesser spreading tries over the nodes behind a load balancer meets the limits of one.
//
// A key is an opaque string of at most 200 bytes (auth passes a hash). Times are the
// callers' clocks, kept to the nanosecond; nodes are assumed to agree on the time.
type LoginFailures interface {
	// AddLoginFailure records one failure at at under each key, in one transaction,
	// and drops every failure recorded before forget and every slot (TakeLoginSlot)
	// that ended before forget, of any key, so the table holds only what a window
	// still counts.
	AddLoginFailure(ctx context.Context, keys []string, at, forget time.Time) error
	// NthLoginFailure returns the time of the n-th most recent failure of key recorded
	// after since (n ≥ 1: the most recent is the first), and false when key has fewer
	// than n failures after since.
	NthLoginFailure(ctx context.Context, key string, since time.Time, n int) (time.Time, bool, error)
	// TakeLoginSlot spaces the attempts on key (a locked user) delay apart. The next
	// free slot is key's next time, or now when that is past or unset. When the slot is
	// more than maxWait after now, it changes nothing and returns (slot, false);
	// otherwise it moves key's next time to slot+delay and returns (slot, true).
	// Atomic: concurrent calls, from any node, never get the same slot.
	TakeLoginSlot(ctx context.Context, key string, now time.Time, delay, maxWait time.Duration) (time.Time, bool, error)
}
