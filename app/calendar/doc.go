// Package calendar is the user's calendar subscription: the server's per-user feed of
// the organisation's deadlines (made, shown and revoked online only; nothing is queued).
package calendar
