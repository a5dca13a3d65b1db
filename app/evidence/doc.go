// Package evidence keeps the evidence files ("preuves matérielles") of the app: a
// content-addressed store on disk (SHA-256 names, safe writes) and the watched inbox
// folder where the user drops files for an NC. It imports nothing else of this repository.
package evidence
