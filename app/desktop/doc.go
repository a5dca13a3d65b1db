// Package desktop runs the app in a Wails window: window options, the Wails-backed
// Platform, and work-arounds for Wails v2.9 on Linux. It is the only package that
// imports Wails.
package desktop
