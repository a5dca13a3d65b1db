// Package audit shows the replica's trail of the user's changes (app/store/trail) and
// checks it against the organisation's chain on the server.
package audit
