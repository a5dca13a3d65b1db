// Package release is the signed release manifest: which version is published and, per
// platform, the file to download with its size and SHA-256, signed with the publisher's
// ed25519 key over a canonical encoding. The server serves it; the app verifies it.
package release
