package team

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// usernamePattern: lower case, so that two accounts never differ by case alone.
var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)

// maxNameRunes bounds a person's name.
const maxNameRunes = 200

// Service works on the accounts of the caller's organisation. Every call takes the
// caller (auth.CallerOf) and refuses anyone but a manager of an organisation with 403
// forbidden_role; the accounts of another organisation are 404 not_found, as if they
// did not exist.
type Service struct {
	users store.Users
	auth  *auth.Service
}

// New returns a Service over the users of a store and the auth service that hashes
// passwords.
func New(users store.Users, a *auth.Service) *Service {
	return &Service{users: users, auth: a}
}

// ErrNotManager refuses a caller that is not its organisation's manager.
var ErrNotManager = problem.New(api.CodeForbiddenRole, "only the organisation's manager manages its accounts")

// CheckManager returns ErrNotManager unless u is a manager of an organisation.
func CheckManager(u api.User) error {
	if u.Role != api.RoleClient || u.OrgID == "" || u.OrgRole != api.OrgRoleManager {
		return ErrNotManager
	}
	return nil
}

// List returns the accounts of the caller's organisation, by username.
func (s *Service) List(ctx context.Context, caller api.User) ([]api.OrgUser, error) {
	if err := CheckManager(caller); err != nil {
		return nil, err
	}
	recs, err := s.users.OrgUsers(ctx, caller.OrgID)
	if err != nil {
		return nil, err
	}
	out := make([]api.OrgUser, 0, len(recs))
	for _, u := range recs {
		out = append(out, orgUser(u))
	}
	return out, nil
}

// Create makes a staff account in the caller's organisation, with a temporary password
// returned once (OrgUser.Password). Refusals: 400 bad_request (username or name not
// acceptable), 409 username_taken.
func (s *Service) Create(ctx context.Context, caller api.User, req api.NewStaffRequest) (api.OrgUser, error) {
	if err := CheckManager(caller); err != nil {
		return api.OrgUser{}, err
	}
	req.Name = strings.TrimSpace(req.Name)
	if !usernamePattern.MatchString(req.Username) {
		return api.OrgUser{}, problem.BadRequest("username must be 3 to 64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit")
	}
	if err := checkName(req.Name); err != nil {
		return api.OrgUser{}, err
	}
	if _, err := s.users.User(ctx, req.Username); err == nil {
		return api.OrgUser{}, taken()
	} else if !errors.Is(err, store.ErrNotFound) {
		return api.OrgUser{}, err
	}
	password := TemporaryPassword()
	err := s.auth.CreateUser(ctx, auth.NewUser{Username: req.Username, Password: password, Name: req.Name,
		Role: api.RoleClient, OrgID: caller.OrgID, OrgRole: api.OrgRoleStaff})
	if err != nil {
		// Two managers racing for one name: the second insert fails on the key.
		if _, lookErr := s.users.User(ctx, req.Username); lookErr == nil {
			return api.OrgUser{}, taken()
		}
		return api.OrgUser{}, err
	}
	return api.OrgUser{Username: req.Username, Name: req.Name, OrgRole: api.OrgRoleStaff, Password: password}, nil
}

// SetDisabled disables (ending its sessions at once) or enables a staff account of
// the caller's organisation. Idempotent.
func (s *Service) SetDisabled(ctx context.Context, caller api.User, username string, disabled bool) (api.OrgUser, error) {
	u, err := s.staff(ctx, caller, username)
	if err != nil {
		return api.OrgUser{}, err
	}
	if err := s.users.SetUserDisabled(ctx, u.Username, disabled); err != nil {
		return api.OrgUser{}, err
	}
	s.auth.OrgChanged(ctx, caller.OrgID)
	u.Disabled = disabled
	return orgUser(u), nil
}

// ResetPassword gives a staff account of the caller's organisation a new temporary
// password, returned once, and ends its sessions: its computers ask for the new one.
func (s *Service) ResetPassword(ctx context.Context, caller api.User, username string) (api.OrgUser, error) {
	u, err := s.staff(ctx, caller, username)
	if err != nil {
		return api.OrgUser{}, err
	}
	password := TemporaryPassword()
	if err := s.auth.SetPassword(ctx, u.Username, password, "", ""); err != nil {
		return api.OrgUser{}, err
	}
	out := orgUser(u)
	out.Password = password
	return out, nil
}

// passwordAlphabet leaves out look-alikes (0/o, 1/l/i): the password is read aloud or
// copied from a screen.
const passwordAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// TemporaryPassword returns a random password of four groups of four characters
// (about 79 bits), easy to pass on by hand: "k7qm-3xta-9pfe-w2hc".
func TemporaryPassword() string {
	b := make([]byte, 0, 19)
	for i := range 16 {
		if i > 0 && i%4 == 0 {
			b = append(b, '-')
		}
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(passwordAlphabet))))
		if err != nil {
			panic(err) // crypto/rand never fails on supported systems
		}
		b = append(b, passwordAlphabet[n.Int64()])
	}
	return string(b)
}

// staff returns a staff account of the caller's organisation: 404 not_found for an
// unknown account or another organisation's, 403 forbidden_role for a manager's (a
// manager's account is the operator's to change, so that no manager locks another out).
func (s *Service) staff(ctx context.Context, caller api.User, username string) (store.UserRecord, error) {
	if err := CheckManager(caller); err != nil {
		return store.UserRecord{}, err
	}
	u, err := s.users.User(ctx, username)
	if errors.Is(err, store.ErrNotFound) || err == nil && (u.Role != api.RoleClient || u.OrgID != caller.OrgID) {
		return store.UserRecord{}, problem.NotFound()
	}
	if err != nil {
		return store.UserRecord{}, err
	}
	if u.OrgRole != api.OrgRoleStaff {
		return store.UserRecord{}, problem.New(api.CodeForbiddenRole, "a manager's account is not managed here")
	}
	return u, nil
}

func orgUser(u store.UserRecord) api.OrgUser {
	return api.OrgUser{Username: u.Username, Name: u.Name, OrgRole: u.OrgRole, Disabled: u.Disabled}
}

func taken() error {
	return problem.New(api.CodeUsernameTaken, "this username is taken")
}

func checkName(name string) error {
	if name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > maxNameRunes {
		return problem.BadRequest("name must be 1 to 200 characters")
	}
	for _, r := range name {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return problem.BadRequest("name must not contain control characters")
		}
	}
	return nil
}
