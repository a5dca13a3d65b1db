// Package health looks after the replica's SQLite file: when and how its integrity is
// checked at open (a full check after an unclean end or a day, a cheap probe otherwise),
// and what SQLite's errors say about the file — damaged (rebuild it) or a full disk
// (nothing changed; try again once there is room).
package health
