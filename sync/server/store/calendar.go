package store

import (
	"context"
	"time"
)

// CalendarFeedRecord is a user's calendar feed as stored: only the SHA-256 of its token
// is kept, as for login tokens, so a leaked database gives no one a working feed URL.
type CalendarFeedRecord struct {
	Username  string
	Hash      string // hex SHA-256 of the token
	Lang      string // the language the feed is written in (fr, en, es, pt)
	CreatedAt time.Time
	// ETag names the content the feed served last ("" before the first read), and
	// ChangedAt is when that content was first served: the events' DTSTAMP and the
	// feed's Last-Modified, which so change only when a deadline does.
	ETag      string
	ChangedAt time.Time
}

// CalendarFeeds keeps each client user's calendar feed: at most one per user, reached
// by its token without a login (calendar programs cannot log in).
type CalendarFeeds interface {
	// PutCalendarFeed makes f the user's one feed, replacing the one it had, whose
	// token stops working in the same transaction (a rotation). ETag is stored empty
	// and ChangedAt as CreatedAt, whatever f holds. An unknown user is ErrNotFound and
	// changes nothing; a hash that another feed has is an error.
	PutCalendarFeed(ctx context.Context, f CalendarFeedRecord) error
	// CalendarFeed returns the feed whose token hashes to hash, or ErrNotFound.
	CalendarFeed(ctx context.Context, hash string) (CalendarFeedRecord, error)
	// UserCalendarFeed returns the user's feed, or ErrNotFound.
	UserCalendarFeed(ctx context.Context, username string) (CalendarFeedRecord, error)
	// DeleteCalendarFeed revokes the user's feed. Idempotent: a user without one (or
	// unknown) is not an error.
	DeleteCalendarFeed(ctx context.Context, username string) error
	// StampCalendarFeed records that the feed of hash now serves the content etag:
	// when etag differs from the stored one, it sets ETag and ChangedAt = at; when
	// they are equal it changes nothing (so of several nodes serving the same new
	// content at once, the first one's time stays). It returns the feed as stored
	// afterwards, or ErrNotFound (a feed revoked meanwhile).
	StampCalendarFeed(ctx context.Context, hash, etag string, at time.Time) (CalendarFeedRecord, error)
}
