//go:build unix

package evidence

import (
	"io/fs"
	"syscall"
)

// fileID returns the identity of a file that survives a rename: device and inode.
func fileID(_ string, fi fs.FileInfo) (dev, ino uint64, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st.Ino == 0 {
		return 0, 0, false
	}
	return uint64(st.Dev), uint64(st.Ino), true
}
