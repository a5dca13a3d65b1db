package pgtest

import "syscall"

// procAttr runs a program of the cluster as owner (nil: as oneself). The kernel ends
// the server if the test binary dies without stopping it.
func procAttr(owner *syscall.Credential) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: owner, Pdeathsig: syscall.SIGQUIT}
}
