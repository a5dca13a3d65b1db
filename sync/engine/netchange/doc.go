// Package netchange tells when the system's network changed (an interface, address
// or route came or went), so that the link to the server is checked at once rather
// than at the next timer. Linux says so over netlink; elsewhere Open returns
// ErrUnsupported and the caller relies on its timer.
package netchange
