package auth

import (
	"context"
	"sync"
	"time"
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

// loginLimiter counts recent failed logins per key in memory. Counts are lost on a
// restart, which only resets the window.
type loginLimiter struct {
	mu       sync.Mutex
	now      func() time.Time
	failures map[string][]time.Time
	// next is, per locked user, when its next attempt may be checked.
	next map[string]time.Time
}

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{now: now, failures: map[string][]time.Time{}, next: map[string]time.Time{}}
}

// limitKeys are the counters of one attempt.
type limitKeys struct{ pair, addr, user string }

func keysOf(username, remote string) limitKeys {
	return limitKeys{pair: "pair:" + username + "\x00" + remote, addr: "addr:" + remote, user: "user:" + username}
}

// admit decides whether an attempt may have its password checked. It returns how
// long the caller must wait first (a locked user), or refused with when to come back.
func (l *loginLimiter) admit(k limitKeys) (wait time.Duration, refused bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if at, full := l.freeAt(k.pair, LoginFailures); full {
		return 0, true, at.Sub(now)
	}
	if at, full := l.freeAt(k.addr, AddressFailures); full {
		return 0, true, at.Sub(now)
	}
	if _, full := l.freeAt(k.user, UserFailures); !full {
		return 0, false, 0
	}
	slot := now
	if next := l.next[k.user]; next.After(now) {
		slot = next
	}
	if slot.Sub(now) > MaxLockWait {
		return 0, true, slot.Sub(now)
	}
	l.next[k.user] = slot.Add(UserLockDelay)
	return slot.Sub(now) + UserLockDelay, false, 0
}

// freeAt reports whether key has used up its max failures in the window, and when the
// oldest of them leaves it. The caller holds mu.
func (l *loginLimiter) freeAt(key string, max int) (time.Time, bool) {
	ts := l.recent(key)
	if len(ts) < max {
		return time.Time{}, false
	}
	return ts[len(ts)-max].Add(LoginWindow), true
}

func (l *loginLimiter) fail(k limitKeys) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, key := range []string{k.pair, k.addr, k.user} {
		l.failures[key] = append(l.recent(key), l.now())
	}
	if len(l.failures) > 10000 {
		// Keep memory bounded under a spray of usernames: drop idle keys.
		for key := range l.failures {
			l.recent(key)
		}
		for user, at := range l.next {
			if at.Before(l.now()) {
				delete(l.next, user)
			}
		}
	}
}

// recent returns the failures of key inside the window, trimming older ones.
// The caller holds mu.
func (l *loginLimiter) recent(key string) []time.Time {
	cutoff := l.now().Add(-LoginWindow)
	ts := l.failures[key]
	i := 0
	for i < len(ts) && !ts[i].After(cutoff) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.failures, key)
		return nil
	}
	l.failures[key] = ts
	return ts
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
