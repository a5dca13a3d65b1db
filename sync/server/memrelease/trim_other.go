//go:build !linux

package memrelease

// trimCHeap: the C allocator's trim is glibc's; elsewhere Go's release is all.
func trimCHeap() {}
