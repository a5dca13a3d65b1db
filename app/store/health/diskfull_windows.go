//go:build windows

package health

import (
	"syscall"

	"golang.org/x/sys/windows"
)

// diskFullErrnos are the errors of a write that found no room.
var diskFullErrnos = []syscall.Errno{windows.ERROR_DISK_FULL, windows.ERROR_HANDLE_DISK_FULL}
