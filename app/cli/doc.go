// Package cli runs ecert-desktop's headless commands (login, sync, status, nc, ca,
// send, message, evidence) on the app's services, for scripts and scheduled jobs.
package cli
