// Package app is the desktop app's backend: the services the UI calls (bound to Wails)
// and the headless commands, on top of the local replica (app/store) and the sync engine.
package app
