package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
)

// ChangePassword changes username's password after checking the current one, and ends
// every other session of the user (store.Users.ChangePassword): keepFamily is the API
// session to keep, keepConsole the hash of the console session to keep (either may be
// empty). A wrong current password counts as a failed login of that user from remote,
// so guessing through this route is limited like logging in (429 rate_limited, a
// *LimitError). Refusals: 400 wrong_password, and CheckNewPassword's codes.
func (a *Service) ChangePassword(ctx context.Context, username, current, next, remote, keepFamily, keepConsole string) error {
	keys := keysOf(strings.ToLower(username), remote)
	wait, refused, after, err := a.limiter.admit(ctx, keys)
	if err != nil {
		return err
	}
	if refused {
		return &LimitError{Err: problem.New(api.CodeRateLimited, "too many wrong passwords; wait a minute"), RetryAfter: after}
	}
	if wait > 0 {
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
	u, err := a.users.User(ctx, username)
	if err != nil {
		return err
	}
	ok, err := checkPassword(u.PasswordHash, current)
	if err != nil {
		return fmt.Errorf("check password of %q: %w", username, err)
	}
	if !ok {
		if err := a.limiter.fail(ctx, keys); err != nil {
			return err
		}
		return problem.New(api.CodeWrongPassword, "the current password is wrong")
	}
	if err := CheckNewPassword(username, next); err != nil {
		return err
	}
	return a.SetPassword(ctx, username, next, keepFamily, keepConsole)
}

// SetPassword sets username's password with no check of the old one or of the rules
// (an operator's reset: ecert-server password), ending the user's other sessions as
// ChangePassword does. An unknown user is store.ErrNotFound.
func (a *Service) SetPassword(ctx context.Context, username, password, keepFamily, keepConsole string) error {
	if password == "" {
		return errors.New("set password: the password is empty")
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	return a.users.ChangePassword(ctx, username, hash, keepFamily, keepConsole)
}
