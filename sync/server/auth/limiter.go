package auth

import (
	"sync"
	"time"
)

// Failed-login limits: at most LoginFailures failures per LoginWindow, counted per
// username and per remote address. Package variables so that tests may change them.
var (
	LoginFailures = 10
	LoginWindow   = time.Minute
)

// loginLimiter counts recent failed logins per key in memory. Counts are lost on a
// restart, which only resets the window.
type loginLimiter struct {
	mu       sync.Mutex
	now      func() time.Time
	failures map[string][]time.Time
}

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{now: now, failures: map[string][]time.Time{}}
}

// blocked reports whether any key has used up its failures in the window.
func (l *loginLimiter) blocked(keys ...string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		if len(l.recent(k)) >= LoginFailures {
			return true
		}
	}
	return false
}

func (l *loginLimiter) fail(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		l.failures[k] = append(l.recent(k), l.now())
	}
	if len(l.failures) > 10000 {
		// Keep memory bounded under a spray of usernames: drop idle keys.
		for k := range l.failures {
			if len(l.recent(k)) == 0 {
				delete(l.failures, k)
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
