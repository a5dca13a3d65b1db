package server

import (
	"context"
	"errors"
	"fmt"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// NewUser describes a user to create.
type NewUser struct {
	Username string
	Password string
	Name     string
	Role     api.Role
	OrgID    string // required for clients, empty otherwise
}

// CreateUser creates a user with an argon2id hash of its password.
func (s *Server) CreateUser(ctx context.Context, u NewUser) error {
	switch {
	case u.Username == "" || u.Password == "":
		return errors.New("create user: username and password are required")
	case u.Role != api.RoleClient && u.Role != api.RoleAnalyst && u.Role != api.RoleAuditor:
		return fmt.Errorf("create user: unknown role %q", u.Role)
	case (u.Role == api.RoleClient) != (u.OrgID != ""):
		return errors.New("create user: clients, and only clients, belong to an organisation")
	}
	hash, err := hashPassword(u.Password)
	if err != nil {
		return err
	}
	return s.store.CreateUser(ctx, UserRecord{Username: u.Username, Name: u.Name, Role: u.Role, OrgID: u.OrgID, PasswordHash: hash})
}

// OrgIDForUser returns the organisation of a client user, or ErrNotFound.
func (s *Server) OrgIDForUser(ctx context.Context, username string) (string, error) {
	u, err := s.store.User(ctx, username)
	if err != nil {
		return "", err
	}
	if u.OrgID == "" {
		return "", ErrNotFound
	}
	return u.OrgID, nil
}
