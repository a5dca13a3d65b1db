//go:build cgo

package health

import (
	"errors"
	"syscall"

	"github.com/mattn/go-sqlite3"
)

// sqliteError returns SQLite's primary result code and the system's error number of
// err, when it is (or wraps) an error of SQLite.
func sqliteError(err error) (code int, errno syscall.Errno, ok bool) {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return 0, 0, false
	}
	return int(se.Code), se.SystemErrno, true
}
