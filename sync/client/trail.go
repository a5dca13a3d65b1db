package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Trail fetches a page of the organisation's trail: records after org seq after, at
// most limit (0: the server's default).
func (c *Client) Trail(ctx context.Context, after int64, limit int) (api.TrailPage, error) {
	q := url.Values{"after": {fmt.Sprint(after)}}
	if limit > 0 {
		q.Set("limit", fmt.Sprint(limit))
	}
	var page api.TrailPage
	err := c.authed(ctx, func(token string) error {
		return c.getJSON(ctx, "/trail?"+q.Encode(), token, func(dec *json.Decoder) error {
			page = api.TrailPage{}
			return dec.Decode(&page)
		})
	})
	if err == nil && page.More && len(page.Records) == 0 {
		err = &Error{Code: api.CodeBadResponse, Status: 200, Err: errors.New("trail page says more but holds nothing")}
	}
	return page, err
}
