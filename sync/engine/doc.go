// Package engine keeps the local replica in step with the server: it uploads evidence
// files, pushes the outbox, pulls the change log by cursor and fetches the files the
// replica references, tracking connectivity and retrying with backoff and jitter. What
// it needs of the replica is the contract in replica.go.
package engine
