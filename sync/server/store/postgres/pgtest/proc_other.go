//go:build !linux

package pgtest

import "syscall"

// procAttr runs a program of the cluster as owner (nil: as oneself).
func procAttr(owner *syscall.Credential) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: owner}
}
