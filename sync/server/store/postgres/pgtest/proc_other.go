//go:build !linux && !windows

package pgtest

import "syscall"

// procAttr runs a program of the cluster as owner (nil: as oneself).
func procAttr(owner *account) *syscall.SysProcAttr {
	a := &syscall.SysProcAttr{}
	if owner != nil {
		a.Credential = &syscall.Credential{Uid: owner.uid, Gid: owner.gid}
	}
	return a
}

// running reports whether a process with this id exists.
func running(pid int) bool { return syscall.Kill(pid, 0) == nil }
