// Package server is the reference Ecert server: FLOCERT's side of the sync protocol. It
// authenticates users, serves each organisation's change log, entities and files, and
// keeps them in SQLite with file bytes in a content-addressed folder.
package server
