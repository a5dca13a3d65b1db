// Package export writes what the replica holds into files people pass around: the
// register of non-conformities as XLSX or PDF, and the deadlines as an iCalendar file.
// It reads nothing itself; the app hands it the rows, so it works offline like the rest.
package export
