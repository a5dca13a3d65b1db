// Package blobstest is the conformance suite of blobs.Store: every implementation runs
// it, so that the server behaves the same on any of them.
package blobstest
