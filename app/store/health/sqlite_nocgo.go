//go:build !cgo

package health

import "syscall"

// sqliteError: without cgo there is no SQLite (the driver only says so), hence no
// error of it to read.
func sqliteError(error) (code int, errno syscall.Errno, ok bool) { return 0, 0, false }
