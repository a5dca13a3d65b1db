// Package pglock is a tus upload locker on PostgreSQL session advisory locks, so that
// the nodes of a server sharing one database lock an upload against each other: a
// resumed upload may land on any node.
package pglock
