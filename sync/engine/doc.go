// Package engine keeps the local replica in step with the server: it pulls the change
// log by cursor, fetches the files the replica references, tracks connectivity and
// retries with exponential backoff and jitter.
package engine
