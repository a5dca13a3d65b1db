// Package demo writes the demo data (the two organisations of the portal's manual and
// the demo logins) and generates large organisations for benchmarks.
package demo
