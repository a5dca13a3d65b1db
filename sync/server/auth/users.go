package auth

import (
	"context"
	"errors"
	"fmt"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// NewUser describes a user to create.
type NewUser struct {
	Username string
	Password string
	Name     string
	Role     api.Role
	OrgID    string      // required for clients, empty otherwise
	OrgRole  api.OrgRole // clients only; empty makes a manager
}

// CreateUser creates a user with an argon2id hash of its password.
func (a *Service) CreateUser(ctx context.Context, u NewUser) error {
	switch {
	case u.Username == "" || u.Password == "":
		return errors.New("create user: username and password are required")
	case u.Role != api.RoleClient && u.Role != api.RoleAnalyst && u.Role != api.RoleAuditor:
		return fmt.Errorf("create user: unknown role %q", u.Role)
	case (u.Role == api.RoleClient) != (u.OrgID != ""):
		return errors.New("create user: clients, and only clients, belong to an organisation")
	}
	if u.Role == api.RoleClient && u.OrgRole == "" {
		u.OrgRole = api.OrgRoleManager
	}
	if u.OrgRole != "" && u.OrgRole != api.OrgRoleManager && u.OrgRole != api.OrgRoleStaff {
		return fmt.Errorf("create user: unknown role in the organisation %q", u.OrgRole)
	}
	hash, err := hashPassword(u.Password)
	if err != nil {
		return err
	}
	if err := a.users.CreateUser(ctx, store.UserRecord{Username: u.Username, Name: u.Name, Role: u.Role, OrgID: u.OrgID,
		PasswordHash: hash, OrgRole: u.OrgRole}); err != nil {
		return err
	}
	a.OrgChanged(ctx, u.OrgID)
	return nil
}

// OrgChanged tells Options.OrgChanged that an account of the organisation changed. A
// failure is logged, not returned: the account changed all the same, and the server
// publishes every organisation's members again at its next start.
func (a *Service) OrgChanged(ctx context.Context, orgID string) {
	if a.orgChanged == nil || orgID == "" {
		return
	}
	// The account changed whether or not the caller still waits for the answer: a
	// client that hangs up must not leave the other replicas without the change.
	ctx = context.WithoutCancel(ctx)
	err := a.orgChanged(ctx, orgID)
	if err != nil {
		err = a.orgChanged(ctx, orgID) // once more: a busy database may answer now
	}
	if err != nil {
		a.log.Error("publish the organisation's members", "org", orgID, "err", err)
	}
}

// OrgIDForUser returns the organisation of a client user, or store.ErrNotFound.
func (a *Service) OrgIDForUser(ctx context.Context, username string) (string, error) {
	u, err := a.users.User(ctx, username)
	if err != nil {
		return "", err
	}
	if u.OrgID == "" {
		return "", store.ErrNotFound
	}
	return u.OrgID, nil
}
