package client

import (
	"context"
	"net/http"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// SendCrashReport sends one crash report. Idempotent: a report sent before comes back
// as a duplicate.
func (c *Client) SendCrashReport(ctx context.Context, r api.CrashReport) (api.CrashReportResult, error) {
	var res api.CrashReportResult
	err := c.authed(ctx, func(token string) error {
		return c.call(ctx, http.MethodPost, api.CrashReportsPath, token, r, &res)
	})
	return res, err
}
