// Package store is the desktop app's local replica: an SQLite database holding
// everything the organisation sees in the portal, the sync state, and cached files.
// Store is the replica as the sync engine sees it; its parts (Portal, Work, Evidence,
// Files) serve the app's screens and commands over the same database.
package store
