// Package servertest starts a real ecert-server, with the demo data and a real SQLite
// file (or a PostgreSQL database, see EnvStore), for the tests of other packages.
package servertest
