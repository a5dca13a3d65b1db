// Package directory is the replica's copy of the operator directory: pulled pages
// applied, and the offline partner search over them.
package directory
