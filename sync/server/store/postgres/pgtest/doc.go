// Package pgtest starts a real PostgreSQL server for tests: one throwaway cluster per
// test binary on a loopback port, and a new empty database per test.
package pgtest
