package logkey

import (
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// calendarFiles is where the calendar feeds are: their token is the path itself.
const calendarFiles = api.Version + api.CalendarPath

// LogPath is a request's path as the logs may hold it: a calendar feed's token, which
// is all a calendar program needs to read the organisation's deadlines, is left out.
func LogPath(p string) string {
	if strings.HasPrefix(p, calendarFiles) && p != api.Version+api.CalendarFeedPath {
		return calendarFiles + "…"
	}
	return p
}
