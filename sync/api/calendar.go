package api

import (
	"regexp"
	"time"
)

// Routes of the calendar feed. A client user manages its own feed with its access
// token at CalendarFeedPath; calendar programs read it, without a token (they cannot
// send one), at CalendarPath + the token + ".ics".
const (
	CalendarFeedPath = "/calendar/feed"
	CalendarPath     = "/calendar/"
)

// CalendarTokenPattern is the shape of a feed token: 32 random bytes in unpadded
// base64url. A path that does not have it names no feed.
var CalendarTokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// CalendarFeedRequest is the body of POST /calendar/feed: the language the feed is
// written in (fr, en, es, pt).
type CalendarFeedRequest struct {
	Lang string `json:"lang"`
}

// CalendarFeed is the caller's feed. POST /calendar/feed (201) makes a new one, ending
// the one before, and is the only answer that carries its address: the server keeps
// the token's hash only, so GET /calendar/feed can say whether a feed is active and
// since when, never its address again.
type CalendarFeed struct {
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	Lang      string    `json:"lang,omitempty"`
	// Path is the feed's path on the server (below Version); URL is the same as the
	// server was reached by this request. A client behind a proxy joins its own server
	// address and Path.
	Path string `json:"path,omitempty"`
	URL  string `json:"url,omitempty"`
}
