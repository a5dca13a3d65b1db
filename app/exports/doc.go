// Package exports writes what the replica holds into files people pass around: the
// register of non-conformities as XLSX or PDF, and the deadlines as an iCalendar file;
// and it is the Export service the window binds. It reads the local replica only, so
// every export works offline.
package exports
