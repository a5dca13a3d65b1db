package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrLocked means another Ecert Desktop (a window or a headless command) is using the
// data directory: only one may write it at a time.
var ErrLocked = errors.New("the data directory is in use by another Ecert Desktop")

// lockDir locks dir for this process; the returned file holds the lock until closed.
func lockDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock data directory: %w", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
