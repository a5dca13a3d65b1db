//go:build !windows

package store

import "syscall"

// diskFullErrnos are the errors of a write that found no room.
var diskFullErrnos = []syscall.Errno{syscall.ENOSPC, syscall.EDQUOT}
