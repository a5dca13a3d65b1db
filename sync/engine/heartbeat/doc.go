// Package heartbeat notices, while the sync engine is idle, that the server stopped or
// started answering: it probes the server's health briefly and often while work waits,
// now and then while all is quiet, backing off while offline, and at once when the
// system says its network changed. When the server answers again it asks the engine to
// sync, so that the work waiting goes at once.
package heartbeat
