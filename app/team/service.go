package team

import (
	"context"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/coded"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
)

// Config is what the app gives the service.
type Config struct {
	Context context.Context     // of the bound calls; cancelled when the app closes
	Store   func() *store.Store // the replica, once the app opened it
	Now     func() time.Time
	// Client returns the running session's client, or one of the saved session (the
	// headless commands); nil when logged out.
	Client func(ctx context.Context) (*client.Client, error)
	// User returns the logged-in user as the last login or refresh told it; ok false
	// when nobody is logged in.
	User func(ctx context.Context) (u api.User, ok bool)
	// Kick asks for a sync (a queued assignment goes at once when online).
	Kick func()
	// Fail turns an error into what a bound method returns: a code the window translates.
	Fail func(error) error
}

// Team manages the organisation's accounts and the assignment of NCs.
type Team struct{ cfg Config }

// New returns the service.
func New(cfg Config) *Team { return &Team{cfg: cfg} }

// RoleOf is the role of a client user in its organisation. Sessions saved before roles
// existed carry none: the organisation's one login was its manager.
func RoleOf(u api.User) api.OrgRole {
	if u.OrgRole == "" {
		return api.OrgRoleManager
	}
	return u.OrgRole
}

// manager checks that a manager is logged in: forbidden_role for staff (the server
// would refuse too), not_logged_in when nobody is.
func (t *Team) manager(ctx context.Context) (api.User, error) {
	u, ok := t.cfg.User(ctx)
	if !ok {
		return u, coded.Error(api.CodeNotLoggedIn)
	}
	if !RoleOf(u).CanSend() {
		return u, coded.Error(api.CodeForbiddenRole)
	}
	return u, nil
}
