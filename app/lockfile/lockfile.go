package lockfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrLocked means another process holds the folder's lock: only one may write it at a
// time.
var ErrLocked = errors.New("the data directory is in use by another Ecert Desktop")

// Name is the lock file's name in the folder.
const Name = "lock"

// File is a held lock. The OS releases it when the process ends, however it ends
// (kill -9 included); the state written in it outlives the process.
type File struct{ f *os.File }

// State is what the lock file tells of the folder between two holders.
type State struct {
	Clean   bool      // the last holder let go in order and saw no damage
	Checked time.Time // when the last full check passed (zero: unknown)
}

// Words of the file's one line: "clean <time>" or "open <time>", the time of the last
// check that passed (RFC 3339).
const (
	wordClean = "clean"
	wordOpen  = "open"
)

// Lock takes dir's lock for this process, or fails with ErrLocked.
func Lock(dir string) (*File, error) {
	f, err := os.OpenFile(filepath.Join(dir, Name), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock data directory: %w", err)
	}
	if err := lock(f); err != nil {
		f.Close()
		return nil, err
	}
	return &File{f: f}, nil
}

// State reads the file's state; anything unreadable is "not clean, never checked".
func (l *File) State() State {
	buf := make([]byte, 128)
	n, _ := l.f.ReadAt(buf, 0)
	word, stamp, _ := strings.Cut(strings.TrimSpace(string(buf[:n])), " ")
	checked, err := time.Parse(time.RFC3339, stamp)
	if err != nil {
		return State{}
	}
	return State{Clean: word == wordClean, Checked: checked}
}

// SetState replaces the file's state; durable (fsynced) when sync is set.
func (l *File) SetState(st State, sync bool) error {
	word := wordOpen
	if st.Clean {
		word = wordClean
	}
	line := word + " " + st.Checked.UTC().Format(time.RFC3339) + "\n"
	if err := l.f.Truncate(0); err != nil {
		return err
	}
	if _, err := l.f.WriteAt([]byte(line), 0); err != nil {
		return err
	}
	if sync {
		return l.f.Sync()
	}
	return nil
}

// Close lets the lock go.
func (l *File) Close() error { return l.f.Close() }
