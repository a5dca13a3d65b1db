package health

import (
	"errors"
	"slices"
	"syscall"
)

// DiskFull reports whether err says that the disk holding the data directory is full:
// SQLite's SQLITE_FULL, or a write's "no space left" (or quota exceeded), also when
// SQLite reports it as an I/O error (its shared-memory file could not grow). Writes
// that fail so change nothing; they succeed again once there is room.
func DiskFull(err error) bool {
	if err == nil {
		return false
	}
	if code, errno, ok := sqliteError(err); ok && (code == sqliteFull || slices.Contains(diskFullErrnos, errno)) {
		return true
	}
	var errno syscall.Errno
	return errors.As(err, &errno) && slices.Contains(diskFullErrnos, errno)
}

// Damaged reports whether an error of SQLite says the database file itself is damaged,
// rather than that it could not be read or written now (I/O error, full disk, lock).
func Damaged(err error) bool {
	code, _, ok := sqliteError(err)
	return ok && (code == sqliteCorrupt || code == sqliteNotADB)
}

// SQLite's primary result codes that say what became of the file.
const (
	sqliteCorrupt = 11
	sqliteFull    = 13
	sqliteNotADB  = 26
)
