// Package store is the desktop app's local replica: an SQLite database holding
// everything the organisation sees in the portal, the sync state, and cached files.
package store
