package team

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/ecert-desktop/ecert-desktop/app/coded"
	"github.com/ecert-desktop/ecert-desktop/app/store/members"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
)

// Account is one account of the organisation as the Team page shows it. Password is
// set only right after a creation or a reset: the temporary password, shown once.
type Account struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     string `json:"role"` // manager, staff
	Disabled bool   `json:"disabled"`
	Password string `json:"password,omitempty"`
}

// validUsername is the server's rule for a new username (sync/server/team): 3 to 64 of
// a-z, 0-9, '.', '_', '-', the first a letter or digit; checked here first so that the
// form says so at once. By hand rather than by a regexp: one with a counted repeat is
// compiled at every command's start (sync/BENCHMARKS.md).
func validUsername(s string) bool {
	if len(s) < 3 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// Accounts lists the organisation's accounts. It needs the server: offline it fails
// with needs_connection (nothing about accounts is queued).
func (t *Team) Accounts() ([]Account, error) {
	out, err := t.accounts(t.cfg.Context)
	return out, t.cfg.Fail(err)
}

// AddStaff creates a staff account; the answer carries its temporary password.
func (t *Team) AddStaff(username, name string) (Account, error) {
	a, err := t.addStaff(t.cfg.Context, username, name)
	return a, t.cfg.Fail(err)
}

// Disable disables a staff account: its sessions end at once.
func (t *Team) Disable(username string) (Account, error) {
	a, err := t.setDisabled(t.cfg.Context, username, true)
	return a, t.cfg.Fail(err)
}

// Enable lets a disabled staff account log in again.
func (t *Team) Enable(username string) (Account, error) {
	a, err := t.setDisabled(t.cfg.Context, username, false)
	return a, t.cfg.Fail(err)
}

// ResetPassword gives a staff account a new temporary password, returned.
func (t *Team) ResetPassword(username string) (Account, error) {
	a, err := t.resetPassword(t.cfg.Context, username)
	return a, t.cfg.Fail(err)
}

func (t *Team) accounts(ctx context.Context) ([]Account, error) {
	c, err := t.online(ctx)
	if err != nil {
		return nil, err
	}
	users, err := c.OrgUsers(ctx)
	if err != nil {
		return nil, offline(err)
	}
	out := make([]Account, 0, len(users))
	for _, u := range users {
		out = append(out, account(u))
	}
	return out, nil
}

func (t *Team) addStaff(ctx context.Context, username, name string) (Account, error) {
	username, name = strings.TrimSpace(username), strings.TrimSpace(name)
	if !validUsername(username) || name == "" || utf8.RuneCountInString(name) > 200 {
		return Account{}, coded.Error(api.CodeInvalidInput)
	}
	c, err := t.online(ctx)
	if err != nil {
		return Account{}, err
	}
	u, err := c.CreateStaff(ctx, username, name)
	if err != nil {
		return Account{}, offline(err)
	}
	return account(u), t.remember(ctx, u)
}

func (t *Team) setDisabled(ctx context.Context, username string, disabled bool) (Account, error) {
	c, err := t.online(ctx)
	if err != nil {
		return Account{}, err
	}
	u, err := c.SetStaffDisabled(ctx, username, disabled)
	if err != nil {
		return Account{}, offline(err)
	}
	return account(u), t.remember(ctx, u)
}

// remember writes an account the server just changed into the replica's members, so
// that the assignee picker offers (or stops offering) it before the next sync. Not on
// a replica that never pulled the accounts: one alone would make the others unknown.
func (t *Team) remember(ctx context.Context, u api.OrgUser) error {
	ms := members.New(t.cfg.Store().DB(), nil)
	if known, err := ms.Known(ctx); err != nil || !known {
		return err
	}
	return ms.Put(ctx, api.Member{Username: u.Username, Name: u.Name, OrgRole: u.OrgRole, Disabled: u.Disabled})
}

func (t *Team) resetPassword(ctx context.Context, username string) (Account, error) {
	c, err := t.online(ctx)
	if err != nil {
		return Account{}, err
	}
	u, err := c.ResetStaffPassword(ctx, username)
	return account(u), offline(err)
}

// online returns a client for a manager's call with the server.
func (t *Team) online(ctx context.Context) (*client.Client, error) {
	if _, err := t.manager(ctx); err != nil {
		return nil, err
	}
	c, err := t.cfg.Client(ctx)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, coded.Error(api.CodeNotLoggedIn)
	}
	return c, nil
}

// offline says plainly that the call needs the connection when the server cannot be
// reached.
func offline(err error) error {
	if client.Code(err) == api.CodeUnreachable {
		return coded.Error(api.CodeNeedsConnection)
	}
	return err
}

func account(u api.OrgUser) Account {
	return Account{Username: u.Username, Name: u.Name, Role: string(u.OrgRole), Disabled: u.Disabled, Password: u.Password}
}
