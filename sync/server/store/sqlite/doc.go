// Package sqlite is the embedded implementation of store.Store: one SQLite file in WAL
// mode, its schema in numbered migrations.
package sqlite
