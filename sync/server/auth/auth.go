package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/logkey"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// Options configure a Service. Users and Failures are required.
type Options struct {
	Users      store.Users
	Failures   store.LoginFailures // the failed logins the limits count (limiter.go)
	Logger     *slog.Logger        // nil discards logs
	Now        func() time.Time    // nil means time.Now
	AccessTTL  time.Duration       // lifetime of access tokens; 0 means 15 minutes
	RefreshTTL time.Duration       // lifetime of refresh tokens; 0 means 30 days
	// OrgChanged, when set, is told after an account of an organisation was created or
	// changed (the server publishes the organisation's members then).
	OrgChanged func(ctx context.Context, orgID string) error
}

// Service logs users in and checks their tokens. Safe for concurrent use.
type Service struct {
	users      store.Users
	log        *slog.Logger
	now        func() time.Time
	accessTTL  time.Duration
	refreshTTL time.Duration
	limiter    *loginLimiter
	orgChanged func(ctx context.Context, orgID string) error
}

// New returns a Service; it starts nothing.
func New(o Options) *Service {
	a := &Service{users: o.Users, log: o.Logger, now: o.Now, accessTTL: o.AccessTTL, refreshTTL: o.RefreshTTL,
		orgChanged: o.OrgChanged}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.accessTTL <= 0 {
		a.accessTTL = 15 * time.Minute
	}
	if a.refreshTTL <= 0 {
		a.refreshTTL = 30 * 24 * time.Hour
	}
	a.limiter = &loginLimiter{failures: o.Failures, now: a.now}
	return a
}

// Caller is the authenticated user of a request and the family of the access token
// it used (its session).
type Caller struct {
	User   api.User
	Family string
}

type callerKey struct{}

// WithCaller returns ctx carrying c.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerOf returns the caller WithCaller put in ctx, or the zero Caller.
func CallerOf(ctx context.Context) Caller {
	c, _ := ctx.Value(callerKey{}).(Caller)
	return c
}

// dummyHash is checked against when the username is unknown, so a login takes as long
// whether or not the user exists.
var dummyHash, _ = hashPassword("not a password")

// Login checks a username and password from the address remote. Refusals: 429
// rate_limited (a *LimitError) once the user from this address, or the address, failed
// too often; 401 bad_credentials. A user locked by failures from everywhere waits
// UserLockDelay before the check (limiter.go). Failed logins of the API and the console
// count alike.
func (a *Service) Login(ctx context.Context, username, password, remote string) (store.UserRecord, error) {
	keys := keysOf(strings.ToLower(username), remote)
	wait, refused, after, err := a.limiter.admit(ctx, keys)
	if err != nil {
		return store.UserRecord{}, err
	}
	if refused {
		return store.UserRecord{}, &LimitError{Err: problem.New(api.CodeRateLimited, "too many failed logins; wait a minute"), RetryAfter: after}
	}
	if wait > 0 {
		if err := sleep(ctx, wait); err != nil {
			return store.UserRecord{}, err
		}
	}
	u, err := a.users.User(ctx, username)
	hash := u.PasswordHash
	if errors.Is(err, store.ErrNotFound) {
		hash = dummyHash
	} else if err != nil {
		return u, err
	}
	ok, cerr := checkPassword(hash, password)
	if cerr != nil {
		return u, fmt.Errorf("check password of %q: %w", username, cerr)
	}
	if err != nil || !ok {
		if err := a.limiter.fail(ctx, keys); err != nil {
			return store.UserRecord{}, err
		}
		return store.UserRecord{}, problem.New(api.CodeBadCredentials, "wrong username or password")
	}
	// Told only to who knows the password: the name alone reveals nothing.
	if u.Disabled {
		return store.UserRecord{}, problem.New(api.CodeAccountDisabled, "this account was disabled by the organisation's manager")
	}
	// Housekeeping piggybacks on logins: they are rare and not latency-critical.
	if err := a.users.DeleteExpiredTokens(ctx, a.now()); err != nil {
		a.log.WarnContext(ctx, "delete expired tokens", logkey.Error, err)
	}
	return u, nil
}

// LimitError is a refused login (429 rate_limited) and when to try again; it wraps
// the problem.Error answered.
type LimitError struct {
	Err        *problem.Error
	RetryAfter time.Duration
}

func (e *LimitError) Error() string { return e.Err.Error() }
func (e *LimitError) Unwrap() error { return e.Err }

// RetryAfterSeconds is RetryAfter for a Retry-After header: whole seconds, at least 1.
func (e *LimitError) RetryAfterSeconds() int {
	return max(1, int((e.RetryAfter+time.Second-1)/time.Second))
}

// Issue issues a new pair of tokens in family; an empty family (a login) starts a new
// one.
func (a *Service) Issue(ctx context.Context, u store.UserRecord, family string) (api.Session, error) {
	now := a.now().UTC()
	access, refresh := NewToken(), NewToken()
	if family == "" {
		family = RandomHex(16)
	}
	sess := api.Session{
		AccessToken:      access,
		AccessExpiresAt:  now.Add(a.accessTTL),
		RefreshToken:     refresh,
		RefreshExpiresAt: now.Add(a.refreshTTL),
		User:             PublicUser(u),
	}
	for _, t := range []store.TokenRecord{
		{Hash: HashToken(access), Kind: store.TokenAccess, Username: u.Username, ExpiresAt: sess.AccessExpiresAt, Family: family},
		{Hash: HashToken(refresh), Kind: store.TokenRefresh, Username: u.Username, ExpiresAt: sess.RefreshExpiresAt, Family: family},
	} {
		if err := a.users.PutToken(ctx, t); err != nil {
			return api.Session{}, err
		}
	}
	return sess, nil
}

// Refresh exchanges a refresh token for a new pair of the same family. The access
// token issued with the spent one ends at once: a request still carrying it gets
// token_expired, so a client that refreshed meanwhile retries with its new token.
func (a *Service) Refresh(ctx context.Context, refreshToken string) (api.Session, error) {
	if !TokenShaped(refreshToken) {
		return api.Session{}, problem.BadRequest("refresh_token must be a token this server issued")
	}
	t, err := a.users.SpendRefreshToken(ctx, HashToken(refreshToken), a.now().UTC())
	switch {
	case errors.Is(err, store.ErrTokenRevoked):
		return api.Session{}, revokedError(t.Revoked)
	case errors.Is(err, store.ErrTokenReused):
		// A refresh token is used once. A second use means that two hold it — the
		// client and whoever copied it, or a client replaying a lost answer: the
		// session is revoked for both, and the user logs in again.
		if err := a.users.RevokeFamily(ctx, t.Family); err != nil {
			return api.Session{}, err
		}
		a.log.WarnContext(ctx, "spent refresh token used again: session revoked", logkey.User, t.Username)
		return api.Session{}, problem.Unauthorized("refresh token already used; the session is revoked: log in again")
	case errors.Is(err, store.ErrNotFound):
		return api.Session{}, problem.Unauthorized("unknown or revoked refresh token")
	case err != nil:
		return api.Session{}, err
	}
	if !a.now().Before(t.ExpiresAt) {
		if err := a.users.RevokeFamily(ctx, t.Family); err != nil {
			a.log.WarnContext(ctx, "revoke expired session", logkey.Error, err)
		}
		return api.Session{}, problem.Unauthorized("refresh token expired; log in again")
	}
	u, err := a.users.User(ctx, t.Username)
	if errors.Is(err, store.ErrNotFound) {
		return api.Session{}, problem.Unauthorized("user no longer exists")
	}
	if err != nil {
		return api.Session{}, err
	}
	return a.Issue(ctx, u, t.Family)
}

// Logout revokes the caller's session — its family, the refresh token issued with it
// included — and, when given, the session of a refresh token of the same user. An
// unknown refresh token is ignored: logging out is idempotent.
func (a *Service) Logout(ctx context.Context, c Caller, refreshToken string) error {
	if refreshToken != "" && !TokenShaped(refreshToken) {
		return problem.BadRequest("refresh_token must be a token this server issued")
	}
	if refreshToken != "" {
		t, err := a.users.Token(ctx, HashToken(refreshToken))
		if err == nil && t.Username == c.User.Username {
			err = a.users.RevokeFamily(ctx, t.Family)
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	return a.users.RevokeFamily(ctx, c.Family)
}

// Authenticate returns the caller of an Authorization header ("Bearer <token>"):
// 401 unauthorized without a valid access token, 401 token_expired for an expired one.
func (a *Service) Authenticate(ctx context.Context, authorization string) (Caller, error) {
	scheme, token, ok := strings.Cut(authorization, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return Caller{}, problem.Unauthorized("missing bearer token")
	}
	// The token and its user in one read: every request pays it. A token outlives
	// no user (deleting a user deletes its tokens), so "no row" covers both.
	t, u, err := a.users.TokenUser(ctx, HashToken(strings.TrimSpace(token)))
	if errors.Is(err, store.ErrNotFound) || err == nil && t.Kind != store.TokenAccess {
		return Caller{}, problem.Unauthorized("unknown or revoked token")
	}
	if err != nil {
		return Caller{}, err
	}
	if t.Revoked != "" && a.now().Before(t.ExpiresAt) {
		return Caller{}, revokedError(t.Revoked)
	}
	if !a.now().Before(t.ExpiresAt) {
		return Caller{}, problem.New(api.CodeTokenExpired, "access token expired; refresh it")
	}
	return Caller{User: PublicUser(u), Family: t.Family}, nil
}

// PublicUser is what a client may know of a user.
func PublicUser(u store.UserRecord) api.User {
	return api.User{Username: u.Username, Name: u.Name, Role: u.Role, OrgID: u.OrgID, OrgName: u.OrgName, OrgRole: u.OrgRole}
}

// revokedError is the answer to a token whose session was ended (TokenRecord.Revoked).
func revokedError(why string) error {
	if why == store.RevokedAccountDisabled {
		return problem.New(api.CodeAccountDisabled, "this account was disabled by the organisation's manager")
	}
	return problem.New(api.CodePasswordChanged, "the password was changed: log in again with the new one")
}
