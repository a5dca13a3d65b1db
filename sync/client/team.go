package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// The organisation's accounts (its manager only; never queued: each call needs the
// server).

// OrgUsers lists the accounts of the caller's organisation.
func (c *Client) OrgUsers(ctx context.Context) ([]api.OrgUser, error) {
	var out api.OrgUsers
	err := c.authed(ctx, func(token string) error {
		return c.call(ctx, http.MethodGet, api.OrgUsersPath, token, nil, &out)
	})
	return out.Users, err
}

// CreateStaff creates a staff account; the answer carries its temporary password.
func (c *Client) CreateStaff(ctx context.Context, username, name string) (api.OrgUser, error) {
	var u api.OrgUser
	err := c.authed(ctx, func(token string) error {
		return c.call(ctx, http.MethodPost, api.OrgUsersPath, token, api.NewStaffRequest{Username: username, Name: name}, &u)
	})
	return u, err
}

// SetStaffDisabled disables (ending its sessions) or enables a staff account.
func (c *Client) SetStaffDisabled(ctx context.Context, username string, disabled bool) (api.OrgUser, error) {
	action := "/enable"
	if disabled {
		action = "/disable"
	}
	return c.staffAction(ctx, username, action)
}

// ResetStaffPassword gives a staff account a new temporary password, returned.
func (c *Client) ResetStaffPassword(ctx context.Context, username string) (api.OrgUser, error) {
	return c.staffAction(ctx, username, "/password")
}

func (c *Client) staffAction(ctx context.Context, username, action string) (api.OrgUser, error) {
	var u api.OrgUser
	err := c.authed(ctx, func(token string) error {
		return c.call(ctx, http.MethodPost, api.OrgUsersPath+"/"+url.PathEscape(username)+action, token, nil, &u)
	})
	return u, err
}
