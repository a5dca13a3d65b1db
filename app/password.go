package app

import (
	"context"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
)

// ChangePassword changes the user's password on the server. It needs the server at
// once and is never queued: offline it fails with needs_connection and changes
// nothing. This computer stays logged in; the user's other computers must log in
// again (they are told password_changed). Refusals: wrong_password,
// password_too_short, password_is_username, password_common, rate_limited.
func (s *Session) ChangePassword(current, next string) error {
	return s.fail(s.changePassword(s.ctx, current, next))
}

func (s *Session) changePassword(ctx context.Context, current, next string) error {
	if current == "" || next == "" || len(current) > 1000 || len(next) > 1000 {
		return &CodeError{Code: api.CodeInvalidInput}
	}
	if reason := s.sync.expired(); reason != "" {
		return &CodeError{Code: reason} // the server ended this login: log in first
	}
	c := s.sync.client()
	if c == nil { // headless commands: no session runs, use the saved one
		saved, server, err := s.saved(ctx)
		if err != nil {
			return err
		}
		if saved == nil {
			return &CodeError{Code: api.CodeNotLoggedIn}
		}
		if c, err = s.newClient(server); err != nil {
			return err
		}
		c.SetSession(*saved)
	}
	err := c.ChangePassword(ctx, current, next)
	if client.Code(err) == api.CodeUnreachable {
		return &CodeError{Code: api.CodeNeedsConnection}
	}
	return err
}
