package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// Failed-login limits, each counted over LoginWindow. Package variables so that tests
// may change them.
//
//   - LoginFailures per username from one address: then that pair is refused (429)
//     whatever the password, until the window frees a failure.
//   - AddressFailures per address, whatever the usernames: then the address is refused.
//     Far above LoginFailures, so one person mistyping cannot lock out the other users
//     behind the same address (an office, a cooperative's shared connection).
//   - UserFailures per username from all addresses: then the user is locked, but not
//     shut out — a name is public, and anyone could lock out its owner. A locked
//     user's attempts are spaced UserLockDelay apart (a right password passes after the
//     wait, a guesser gets one try per delay); one that would wait longer than
//     MaxLockWait is refused (429) instead.
var (
	LoginFailures   = 10
	AddressFailures = 100
	UserFailures    = 10
	LoginWindow     = time.Minute
	UserLockDelay   = 2 * time.Second
	MaxLockWait     = 10 * time.Second
)

// loginLimiter applies the limits to the failures kept in the store, so that the nodes
// of one database count together: ten wrong passwords spread over two nodes lock as
// on one. A restart forgets nothing.
type loginLimiter struct {
	failures store.LoginFailures
	now      func() time.Time
}

// limitKeys are the counters of one attempt, as store keys: hashes, so that neither a
// username nor an address is kept in clear, and any bytes a client sends fit.
type limitKeys struct{ pair, addr, user string }

func keysOf(username, remote string) limitKeys {
	return limitKeys{pair: limitKey("pair", username+"\x00"+remote), addr: limitKey("addr", remote), user: limitKey("user", username)}
}

func limitKey(kind, s string) string {
	sum := sha256.Sum256([]byte(kind + ":" + s))
	return kind + ":" + hex.EncodeToString(sum[:16])
}

// admit decides whether an attempt may have its password checked. It returns how
// long the caller must wait first (a locked user), or refused with when to come back.
func (l *loginLimiter) admit(ctx context.Context, k limitKeys) (wait time.Duration, refused bool, retryAfter time.Duration, err error) {
	now := l.now()
	for _, c := range []struct {
		key string
		max int
	}{{k.pair, LoginFailures}, {k.addr, AddressFailures}} {
		at, full, err := l.freeAt(ctx, now, c.key, c.max)
		if err != nil {
			return 0, false, 0, err
		}
		if full {
			return 0, true, at.Sub(now), nil
		}
	}
	if _, full, err := l.freeAt(ctx, now, k.user, UserFailures); err != nil || !full {
		return 0, false, 0, err
	}
	slot, ok, err := l.failures.TakeLoginSlot(ctx, k.user, now, UserLockDelay, MaxLockWait)
	if err != nil {
		return 0, false, 0, err
	}
	if !ok {
		return 0, true, slot.Sub(now), nil
	}
	return slot.Sub(now) + UserLockDelay, false, 0, nil
}

// freeAt reports whether key has used up its max failures in the window, and when the
// oldest of them leaves it.
func (l *loginLimiter) freeAt(ctx context.Context, now time.Time, key string, max int) (time.Time, bool, error) {
	at, full, err := l.failures.NthLoginFailure(ctx, key, now.Add(-LoginWindow), max)
	if err != nil || !full {
		return time.Time{}, false, err
	}
	return at.Add(LoginWindow), true, nil
}

// fail records a failed attempt under its three counters, and lets the store drop what
// no window counts any more.
func (l *loginLimiter) fail(ctx context.Context, k limitKeys) error {
	now := l.now()
	// Recorded even when the client hangs up at once: a guesser cannot cancel a count.
	// Failures older than the window count no more, and a slot that ended is as none.
	return l.failures.AddLoginFailure(context.WithoutCancel(ctx), []string{k.pair, k.addr, k.user}, now, now.Add(-LoginWindow))
}

// sleep waits d or until ctx ends, and then returns ctx's error.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
