// Package trail keeps the replica's tamper-evident log of the user's changes: it seals
// what the replica's triggers queued into hash-chained entries, hands them to the push,
// records the server's answer, and checks the chain.
package trail
