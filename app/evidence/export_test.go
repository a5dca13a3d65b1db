package evidence

import (
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
)

// LossyWatcher makes in's Serve use a watcher that drops every event while drop is
// true, and delivers the errors sent on inject as if they came from the system.
func LossyWatcher(in *Inbox) (drop *atomic.Bool, inject chan<- error) {
	drop = new(atomic.Bool)
	errs := make(chan error, 1)
	in.newWatcher = func() (watcher, error) {
		inner, err := newFSWatcher()
		if err != nil {
			return nil, err
		}
		lw := &lossyWatcher{watcher: inner, events: make(chan fsnotify.Event), errs: errs, closed: make(chan struct{})}
		go func() {
			for ev := range inner.Events() {
				if drop.Load() {
					continue
				}
				select {
				case lw.events <- ev:
				case <-lw.closed:
					return
				}
			}
		}()
		return lw, nil
	}
	return drop, errs
}

type lossyWatcher struct {
	watcher
	events chan fsnotify.Event
	errs   chan error
	closed chan struct{}
}

func (w *lossyWatcher) Close() error {
	close(w.closed)
	return w.watcher.Close()
}

func (w *lossyWatcher) Events() <-chan fsnotify.Event { return w.events }
func (w *lossyWatcher) Errors() <-chan error          { return w.errs }

// SetRescanEvery changes the periodic rescan interval until the returned func is called.
func SetRescanEvery(d time.Duration) (restore func()) {
	old := rescanEvery
	rescanEvery = d
	return func() { rescanEvery = old }
}
