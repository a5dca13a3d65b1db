package client

import (
	"context"
	"net/http"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// CreateCalendarFeed makes the user's calendar feed in lang, ending the one it had.
// Its URL is the feed's path at this client's server address (the one the user
// reaches the server by, whatever the server saw behind a proxy).
func (c *Client) CreateCalendarFeed(ctx context.Context, lang string) (api.CalendarFeed, error) {
	var f api.CalendarFeed
	err := c.authed(ctx, func(token string) error {
		return c.call(ctx, http.MethodPost, api.CalendarFeedPath, token, api.CalendarFeedRequest{Lang: lang}, &f)
	})
	if err == nil && f.Path != "" {
		f.URL = c.base + f.Path
	}
	return f, err
}

// CalendarFeed says whether the user has a feed; the server never tells its address
// again.
func (c *Client) CalendarFeed(ctx context.Context) (api.CalendarFeed, error) {
	var f api.CalendarFeed
	err := c.authed(ctx, func(token string) error {
		return c.call(ctx, http.MethodGet, api.CalendarFeedPath, token, nil, &f)
	})
	return f, err
}

// RevokeCalendarFeed ends the user's feed; idempotent.
func (c *Client) RevokeCalendarFeed(ctx context.Context) error {
	return c.authed(ctx, func(token string) error {
		return c.call(ctx, http.MethodDelete, api.CalendarFeedPath, token, nil, nil)
	})
}
