// Package soak is the fault harness of the sync: a real ecert-server, desktop clients
// in this process and as separate ecert-desktop processes, each behind its own real
// fault-injecting proxy (toxiproxy), a random workload of what users and analysts do,
// and checks that nothing is lost or duplicated and every replica ends equal to the
// server. It is all tests: `make test` runs a short deterministic set, `make soak`
// thousands of faults, writing sync/SOAK.md.
package soak
