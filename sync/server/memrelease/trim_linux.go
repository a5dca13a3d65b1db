package memrelease

/*
#include <malloc.h>
*/
import "C"

// trimCHeap has glibc give back the free memory of its heaps: SQLite's page caches and
// statements are allocated there, from the many threads of the connections' cgo calls.
func trimCHeap() { C.malloc_trim(0) }
