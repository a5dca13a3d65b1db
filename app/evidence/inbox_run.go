package evidence

import (
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// How Serve decides that a file has settled (debounce, per file, one timer):
//
// Every event on a file, and every scan that finds an unreported file, records the
// file's size and modification time in pending and sets its due time to now+Quiet.
// One timer is armed for the earliest due time. When a file is due (no event for
// Quiet), it is checked again: gone or not a regular file → dropped; size or mtime
// differ from what was recorded (a change the watcher did not tell) → recorded and
// due again in Quiet; unchanged → reported once, and its key remembered. The key is
// (NC, size, mtime, file identity), and the identity (inode, or Windows file index)
// survives a rename, so renaming a reported file does not report it again.

// fileKey identifies one version of one file in one NC folder. name is set only where
// the system gives no file identity.
type fileKey struct {
	nc       string
	name     string
	size     int64
	mtime    int64
	dev, ino uint64
}

func keyOf(nc, name, path string, fi fs.FileInfo) fileKey {
	k := fileKey{nc: nc, size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	if dev, ino, ok := fileID(path, fi); ok {
		k.dev, k.ino = dev, ino
	} else {
		k.name = name
	}
	return k
}

type pendingFile struct {
	nc, name string
	size     int64
	mtime    time.Time
	due      time.Time
	tries    int // failed opens
}

// run is the state of one Serve call; only Serve's goroutine touches it.
type run struct {
	in      *Inbox
	w       watcher // nil: no watching, periodic scans only
	found   func(ncID, path string)
	watched map[string]bool         // NC folder paths added to w
	pending map[string]*pendingFile // by path
	timer   *time.Timer
	armedAt time.Time // when timer fires; zero when stopped
}

// arm sets the timer for the earliest due time, if it is not already set for it.
func (r *run) arm() {
	var next time.Time
	for _, p := range r.pending {
		if next.IsZero() || p.due.Before(next) {
			next = p.due
		}
	}
	if next.Equal(r.armedAt) {
		return
	}
	r.armedAt = next
	if next.IsZero() {
		r.timer.Stop()
		return
	}
	r.timer.Reset(max(0, next.Sub(r.in.now())))
}

// event handles one watcher event: a folder appearing or going in the root, or a file
// changing in an NC folder.
func (r *run) event(ev fsnotify.Event) {
	dir, name := filepath.Split(ev.Name)
	dir = filepath.Clean(dir)
	if dir == r.in.root {
		nc, ok := ParseFolder(name)
		if !ok {
			return
		}
		if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
			r.unwatch(ev.Name)
		}
		if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
			r.watchFolder(ev.Name)
			r.scanFolder(nc, ev.Name, nil)
		}
		return
	}
	if filepath.Dir(dir) != r.in.root || ignored(name) {
		return
	}
	nc, ok := ParseFolder(filepath.Base(dir))
	if !ok {
		return
	}
	r.touch(nc, name, ev.Name)
}

// touch records that the file at path changed now.
func (r *run) touch(nc, name, path string) {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() {
		delete(r.pending, path) // deleted, renamed away, a folder or a link
		return
	}
	p := r.pending[path]
	if p == nil {
		p = &pendingFile{nc: nc, name: name}
		r.pending[path] = p
	}
	p.size, p.mtime = fi.Size(), fi.ModTime()
	p.due = r.in.now().Add(r.in.quiet)
}

// settle checks every file that is due and reports those that stayed unchanged.
func (r *run) settle() {
	now := r.in.now()
	for path, p := range r.pending {
		if p.due.After(now) {
			continue
		}
		fi, err := os.Lstat(path)
		if err != nil || !fi.Mode().IsRegular() {
			delete(r.pending, path)
			continue
		}
		if fi.Size() != p.size || !fi.ModTime().Equal(p.mtime) {
			p.size, p.mtime, p.due = fi.Size(), fi.ModTime(), now.Add(r.in.quiet)
			continue
		}
		key := keyOf(p.nc, p.name, path, fi)
		if r.in.wasReported(key) {
			delete(r.pending, path)
			continue
		}
		// On Windows a file that its program still holds open for writing cannot be
		// opened: wait for it to be closed.
		f, err := os.Open(path)
		if err != nil {
			if p.tries++; p.tries >= maxOpenTries {
				r.in.log.Warn("inbox: cannot read file, skipped", logKeyNC, p.nc, logKeyPath, path, logKeyErr, err)
				delete(r.pending, path)
			} else {
				p.due = now.Add(r.in.quiet)
			}
			continue
		}
		f.Close()
		r.in.markReported(key)
		delete(r.pending, path)
		r.found(p.nc, path)
	}
}

// rescan lists every NC folder, watches the ones not yet watched and schedules every
// file not reported yet. It also forgets reported files that are no longer there, so
// the memory of the inbox does not grow without end.
func (r *run) rescan() {
	entries, err := os.ReadDir(r.in.root)
	if err != nil {
		r.in.log.Warn("inbox: cannot list", logKeyPath, r.in.root, logKeyErr, err)
		return
	}
	seen := make(map[fileKey]bool)
	complete := true
	for _, e := range entries {
		nc, ok := ParseFolder(e.Name())
		if !ok || !e.IsDir() {
			continue
		}
		path := filepath.Join(r.in.root, e.Name())
		r.watchFolder(path)
		if !r.scanFolder(nc, path, seen) {
			complete = false
		}
	}
	if complete {
		r.in.forgetExcept(seen)
	}
}

// scanFolder schedules the unreported files of one NC folder, adding the keys of all
// its files to seen (if not nil). It returns false if the folder could not be listed.
func (r *run) scanFolder(nc, dir string, seen map[fileKey]bool) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		r.in.log.Warn("inbox: cannot list", logKeyNC, nc, logKeyErr, err)
		return false
	}
	now := r.in.now()
	for _, e := range entries {
		if !e.Type().IsRegular() || ignored(e.Name()) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		fi, err := e.Info()
		if err != nil {
			continue
		}
		key := keyOf(nc, e.Name(), path, fi)
		if seen != nil {
			seen[key] = true
		}
		if r.in.wasReported(key) || r.pending[path] != nil {
			continue
		}
		r.pending[path] = &pendingFile{nc: nc, name: e.Name(), size: fi.Size(), mtime: fi.ModTime(), due: now.Add(r.in.quiet)}
	}
	return true
}

func (r *run) watchFolder(path string) {
	if r.w == nil || r.watched[path] {
		return
	}
	if err := r.w.Add(path); err != nil {
		r.in.log.Warn("inbox: cannot watch, relying on periodic scans", logKeyPath, path, logKeyErr, err)
		return
	}
	r.watched[path] = true
}

// unwatch forgets a folder that was removed or renamed, so that a folder created again
// under that name is watched again.
func (r *run) unwatch(path string) {
	if r.w == nil || !r.watched[path] {
		return
	}
	delete(r.watched, path)
	r.w.Remove(path) // the system may have dropped the watch already
}

func (in *Inbox) wasReported(k fileKey) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	_, ok := in.reported[k]
	return ok
}

func (in *Inbox) markReported(k fileKey) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.reported[k] = struct{}{}
}

func (in *Inbox) forgetExcept(seen map[fileKey]bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for k := range in.reported {
		if !seen[k] {
			delete(in.reported, k)
		}
	}
}
