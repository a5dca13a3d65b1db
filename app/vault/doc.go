// Package vault keeps a login's tokens out of the replica: in the OS keyring where there
// is one (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows), else
// in a file of the data directory that only the user can read.
package vault
