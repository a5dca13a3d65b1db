//go:build cgo && !windows

package health_test

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"

	"github.com/mattn/go-sqlite3"

	"github.com/ecert-desktop/ecert-desktop/app/store/health"
)

func TestDiskFull(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		// what a full disk gives
		{"a write", &os.PathError{Op: "write", Path: "f", Err: syscall.ENOSPC}, true},
		{"a wrapped write", fmt.Errorf("import: %w", &os.PathError{Op: "write", Path: "f", Err: syscall.ENOSPC}), true},
		{"a quota", syscall.EDQUOT, true},
		{"SQLITE_FULL", fmt.Errorf("save: %w", sqlite3.Error{Code: sqlite3.ErrFull}), true},
		{"SQLite's -shm cannot grow", sqlite3.Error{Code: sqlite3.ErrIoErr, SystemErrno: syscall.ENOSPC}, true},
		// what it does not
		{"nil", nil, false},
		{"another I/O error", sqlite3.Error{Code: sqlite3.ErrIoErr, SystemErrno: syscall.EIO}, false},
		{"a damaged file", sqlite3.Error{Code: sqlite3.ErrCorrupt}, false},
		{"another error", errors.New("no space left on device"), false},
	}
	for _, tt := range tests {
		if got := health.DiskFull(tt.err); got != tt.want {
			t.Errorf("%s: DiskFull(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}
