//go:build !windows

package lockfile

import (
	"errors"
	"os"
	"syscall"
)

// lock takes an exclusive, non-blocking lock on f. The OS releases it when the
// process ends, however it ends (kill -9 included).
func lock(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return ErrLocked
	}
	return err
}
