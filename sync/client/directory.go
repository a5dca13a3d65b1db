package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Directory fetches one page of the operator directory: the operators changed after
// seq after, at most limit (the server's default when 0).
func (c *Client) Directory(ctx context.Context, after int64, limit int) (api.DirectoryPage, error) {
	q := url.Values{"after": {fmt.Sprint(after)}}
	if limit > 0 {
		q.Set("limit", fmt.Sprint(limit))
	}
	var page api.DirectoryPage
	err := c.authed(ctx, func(token string) error {
		return c.getJSON(ctx, "/directory?"+q.Encode(), token, func(dec *json.Decoder) error {
			page = api.DirectoryPage{}
			return dec.Decode(&page)
		})
	})
	if err == nil && page.After < after {
		err = &Error{Code: api.CodeBadResponse, Status: 200, Err: errors.New("directory page goes backwards")}
	}
	return page, err
}

// Operator fetches one operator's current facts; an unknown FLO ID is an error with
// code api.CodePartnerUnknown.
func (c *Client) Operator(ctx context.Context, floID string) (api.Operator, error) {
	var op api.Operator
	err := c.authed(ctx, func(token string) error {
		return c.call(ctx, http.MethodGet, "/directory/"+url.PathEscape(floID), token, nil, &op)
	})
	return op, err
}
