package pgtest

import "syscall"

// procAttr runs a program of the cluster as oneself: Windows has no root to step down
// from (runAs never returns an account there).
func procAttr(*account) *syscall.SysProcAttr { return &syscall.SysProcAttr{} }

// running says a leftover cluster's server may still run: on Windows its folder is left
// for the OS's temporary-file clean-up rather than guessed at.
func running(int) bool { return true }
