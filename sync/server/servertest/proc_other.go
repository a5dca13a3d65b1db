//go:build !linux

package servertest

import "syscall"

// childAttr: only Linux ends a child with its parent.
func childAttr() *syscall.SysProcAttr { return nil }
