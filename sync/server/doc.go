// Package server is the reference Ecert server, FLOCERT's side of the sync protocol:
// the API's route table and middleware over its parts — auth (logins, tokens), workflow
// (the NC steps and pushes), uploads (tus), console (the analyst console) — on a
// database (store) and a blob store (blobs) passed in its Config.
package server
