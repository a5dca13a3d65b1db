// Package storetest is the conformance suite of the store contract (package store):
// Run checks an implementation against every guarantee the contract's comments state,
// the concurrent ones with real concurrency. Each implementation runs it in its tests.
package storetest
