package servertest

import "syscall"

// childAttr makes the kernel end a helper process (haproxy) with the test binary,
// should the binary die without its cleanup.
func childAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} }
