// Package calendar serves each client user's calendar feed: a revocable address that
// calendar programs read without a login, listing the organisation's deadlines as the
// app's .ics export does (package sync/ical).
package calendar
