// Package blobs is the contract of the store of file bytes, named by their SHA-256, and
// its folder implementation. An S3-compatible store provides the same calls.
package blobs
