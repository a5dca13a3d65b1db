//go:build !windows

package health

import "syscall"

// diskFullErrnos are the errors of a write that found no room.
var diskFullErrnos = []syscall.Errno{syscall.ENOSPC, syscall.EDQUOT}
