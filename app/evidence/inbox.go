package evidence

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Log attribute keys.
const (
	logKeyPath = "path"
	logKeyNC   = "nc"
	logKeyErr  = "error"
)

const defaultQuiet = 2 * time.Second

// rescanEvery is how often Serve lists the whole inbox even without events: it catches
// what a watcher misses (network shares, a watch that could not be added). A package
// variable so that tests can lengthen it and prove events alone suffice.
var rescanEvery = time.Minute

// maxOpenTries bounds how many times a settled file that cannot be opened (on Windows,
// still locked by the program writing it) is retried, one Quiet apart.
var maxOpenTries = 30

// watcherBuffer is the length of the event channel: it absorbs a burst while the found
// callback runs. Beyond the kernel's queue, an overflow triggers a rescan.
const watcherBuffer = 1024

// InboxOptions tunes an Inbox. The zero value is usable.
type InboxOptions struct {
	Quiet  time.Duration    // a file is taken once unchanged for this long (default 2 s)
	Logger *slog.Logger     // default: discard
	Now    func() time.Time // default time.Now; must advance like the wall clock
}

// Inbox watches a folder with one sub-folder per NC awaiting evidence, named by the NC
// id (Inbox/NC-150424-2019/), and reports each file the user puts there once it has
// settled. Files directly in the root, in folders that are not NC folders, and in
// sub-folders of NC folders are not reported (sub-folders are not walked). The inbox
// never changes or removes the user's files.
type Inbox struct {
	root  string
	quiet time.Duration
	log   *slog.Logger
	now   func() time.Time

	// newWatcher is a seam: tests wrap the watcher to drop events or inject errors.
	newWatcher func() (watcher, error)

	serving  atomic.Bool
	mu       sync.Mutex           // guards reported
	reported map[fileKey]struct{} // files already handed to found
}

// watcher is what Serve needs of fsnotify.
type watcher interface {
	Add(path string) error
	Remove(path string) error
	Close() error
	Events() <-chan fsnotify.Event
	Errors() <-chan error
}

type fsWatcher struct{ *fsnotify.Watcher }

func (w fsWatcher) Events() <-chan fsnotify.Event { return w.Watcher.Events }
func (w fsWatcher) Errors() <-chan error          { return w.Watcher.Errors }

func newFSWatcher() (watcher, error) {
	w, err := fsnotify.NewBufferedWatcher(watcherBuffer)
	if err != nil {
		return nil, err
	}
	return fsWatcher{w}, nil
}

// NewInbox returns an Inbox on root, creating the folder if needed.
func NewInbox(root string, opt InboxOptions) (*Inbox, error) {
	if root == "" {
		return nil, errors.New("new inbox: empty folder")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("new inbox: %w", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("new inbox: %w", err)
	}
	in := &Inbox{
		root:       abs,
		quiet:      opt.Quiet,
		log:        opt.Logger,
		now:        opt.Now,
		newWatcher: newFSWatcher,
		reported:   make(map[fileKey]struct{}),
	}
	if in.quiet <= 0 {
		in.quiet = defaultQuiet
	}
	if in.log == nil {
		in.log = slog.New(slog.DiscardHandler)
	}
	if in.now == nil {
		in.now = time.Now
	}
	return in, nil
}

// Root returns the inbox folder (absolute).
func (in *Inbox) Root() string { return in.root }

// SetNCs makes sure a sub-folder exists for each NC id, and removes the empty folders of
// NCs no longer listed; a folder that holds anything is never removed (the removal of a
// non-empty folder fails, atomically, so a file dropped at that moment is safe). Safe
// while Serve runs: Serve sees the new folders through the watcher.
func (in *Inbox) SetNCs(ids []string) error {
	want := make(map[string]bool, len(ids))
	var errs []error
	for _, id := range ids {
		if _, ok := ParseFolder(id); !ok {
			errs = append(errs, fmt.Errorf("set NCs: %q is not an NC id", id))
			continue
		}
		want[id] = true
		if err := os.Mkdir(filepath.Join(in.root, id), 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			errs = append(errs, fmt.Errorf("set NCs: %w", err))
		}
	}
	entries, err := os.ReadDir(in.root)
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("set NCs: %w", err))...)
	}
	for _, e := range entries {
		if _, ok := ParseFolder(e.Name()); ok && e.IsDir() && !want[e.Name()] {
			os.Remove(filepath.Join(in.root, e.Name())) // fails unless empty: intended
		}
	}
	return errors.Join(errs...)
}

// Serve watches the inbox until ctx is done and returns ctx.Err(). It starts with a scan,
// so files already there are reported too. found is called, on Serve's goroutine, once
// for each file that appeared in an NC folder and then stayed unchanged (size and
// modification time) for Quiet, with the NC id and the file's path. A file is not
// reported again while it stays the same, even when renamed; a changed file is reported
// again. found may take its time (import the file): events wait in the queue, and if the
// system's queue overflows, a rescan catches up. Only one Serve may run at a time.
// When the system cannot watch folders, Serve logs it and falls back to periodic scans.
func (in *Inbox) Serve(ctx context.Context, found func(ncID, path string)) error {
	if !in.serving.CompareAndSwap(false, true) {
		return errors.New("inbox: already serving")
	}
	defer in.serving.Store(false)

	r := &run{in: in, found: found, watched: make(map[string]bool), pending: make(map[string]*pendingFile)}
	var events <-chan fsnotify.Event
	var errs <-chan error
	w, err := in.newWatcher()
	if err != nil {
		in.log.Warn("inbox: cannot watch, scanning periodically", logKeyErr, err)
	} else {
		defer w.Close()
		if err := w.Add(in.root); err != nil {
			in.log.Warn("inbox: cannot watch the root", logKeyPath, in.root, logKeyErr, err)
		}
		r.w, events, errs = w, w.Events(), w.Errors()
	}

	r.timer = time.NewTimer(time.Hour)
	r.timer.Stop()
	defer r.timer.Stop()
	rescan := time.NewTicker(rescanEvery)
	defer rescan.Stop()

	r.rescan()
	for {
		r.arm()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			r.event(ev)
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				in.log.Info("inbox: events lost, rescanning")
				r.rescan()
			} else {
				in.log.Warn("inbox: watcher", logKeyErr, err)
			}
		case <-r.timer.C:
			r.armedAt = time.Time{}
			r.settle()
		case <-rescan.C:
			r.rescan()
		}
	}
}
