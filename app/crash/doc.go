// Package crash keeps reports of the app's crashes in the data folder — a Go panic, or a
// window process that died without closing — with nothing personal in them, until they
// are sent (when the user allowed it) and removed.
package crash
