// Package app is the desktop app's backend: the services the UI calls (Session, Sync,
// Portal, Settings, CA, Outbox, Evidence, and app/exports' Export — each holding what
// it needs), built and started by App, on top of the local replica (app/store) and the
// sync engine. The headless commands (app/cli) call the same services.
package app
