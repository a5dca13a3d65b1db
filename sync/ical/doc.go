// Package ical writes an organisation's deadlines as an iCalendar (RFC 5545) calendar:
// the one event model of the app's .ics export and of the server's calendar feed, so
// both give a deadline the same UID.
package ical
