package logkey

import "testing"

func TestLogPathLeavesCalendarTokensOut(t *testing.T) {
	for in, want := range map[string]string{
		"/api/v1/calendar/" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde.ics": "/api/v1/calendar/…",
		"/api/v1/calendar/anything": "/api/v1/calendar/…",
		"/api/v1/calendar/feed":     "/api/v1/calendar/feed",
		"/api/v1/ncs/NC-1":          "/api/v1/ncs/NC-1",
	} {
		if got := LogPath(in); got != want {
			t.Errorf("LogPath(%q) = %q, want %q", in, got, want)
		}
	}
}
