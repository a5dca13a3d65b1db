// Package servertest starts a real ecert-server, with the demo data and a real SQLite
// file, for the tests of other packages.
package servertest
