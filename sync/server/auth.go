package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

type ctxKey struct{}

// caller is the authenticated user of a request and the family of the access token
// it used (its session).
type caller struct {
	user   api.User
	family string
}

func callerOf(r *http.Request) caller {
	c, _ := r.Context().Value(ctxKey{}).(caller)
	return c
}

// dummyHash is checked against when the username is unknown, so a login takes as long
// whether or not the user exists.
var dummyHash, _ = hashPassword("not a password")

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	var req api.LoginRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.Username == "" || req.Password == "" || len(req.Username) > 200 || len(req.Password) > 1000 {
		s.writeError(w, r, badRequest("username and password are required"))
		return
	}
	keys := []string{"user:" + strings.ToLower(req.Username), "addr:" + remoteHost(r)}
	if s.limiter.blocked(keys...) {
		s.writeError(w, r, newError(http.StatusTooManyRequests, api.CodeRateLimited, "too many failed logins; wait a minute"))
		return
	}
	u, err := s.store.User(r.Context(), req.Username)
	hash := u.PasswordHash
	if errors.Is(err, ErrNotFound) {
		hash = dummyHash
	} else if err != nil {
		s.writeError(w, r, err)
		return
	}
	ok, cerr := checkPassword(hash, req.Password)
	if cerr != nil {
		s.writeError(w, r, fmt.Errorf("check password of %q: %w", req.Username, cerr))
		return
	}
	if err != nil || !ok {
		s.limiter.fail(keys...)
		s.writeError(w, r, newError(http.StatusUnauthorized, api.CodeBadCredentials, "wrong username or password"))
		return
	}
	// Housekeeping piggybacks on logins: they are rare and not latency-critical.
	if err := s.store.DeleteExpiredTokens(r.Context(), s.now()); err != nil {
		s.log.WarnContext(r.Context(), "delete expired tokens", keyError, err)
	}
	s.issueSession(w, r, u, "")
}

// handleRefresh exchanges a refresh token for a new pair of the same family. The
// access token issued with the spent one ends at once: a request still carrying it gets
// token_expired, so a client that refreshed meanwhile retries with its new token.
func (s *Server) handleRefresh(w http.ResponseWriter, r *http.Request) {
	var req api.RefreshRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if !tokenShaped(req.RefreshToken) {
		s.writeError(w, r, badRequest("refresh_token must be a token this server issued"))
		return
	}
	ctx := r.Context()
	t, err := s.store.SpendRefreshToken(ctx, hashToken(req.RefreshToken), s.now().UTC())
	switch {
	case errors.Is(err, ErrTokenReused):
		// A refresh token is used once. A second use means that two hold it — the
		// client and whoever copied it, or a client replaying a lost answer: the
		// session is revoked for both, and the user logs in again.
		if err := s.store.RevokeFamily(ctx, t.Family); err != nil {
			s.writeError(w, r, err)
			return
		}
		s.log.WarnContext(ctx, "spent refresh token used again: session revoked", keyUser, t.Username)
		s.writeError(w, r, unauthorized("refresh token already used; the session is revoked: log in again"))
		return
	case errors.Is(err, ErrNotFound):
		s.writeError(w, r, unauthorized("unknown or revoked refresh token"))
		return
	case err != nil:
		s.writeError(w, r, err)
		return
	}
	if !s.now().Before(t.ExpiresAt) {
		if err := s.store.RevokeFamily(ctx, t.Family); err != nil {
			s.log.WarnContext(ctx, "revoke expired session", keyError, err)
		}
		s.writeError(w, r, unauthorized("refresh token expired; log in again"))
		return
	}
	u, err := s.store.User(ctx, t.Username)
	if errors.Is(err, ErrNotFound) {
		s.writeError(w, r, unauthorized("user no longer exists"))
		return
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.issueSession(w, r, u, t.Family)
}

// handleLogout revokes the session of the request's access token — its family, the
// refresh token issued with it included — and, when given, the session of a refresh
// token of the same user. An unknown refresh token is ignored: logging out is
// idempotent.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	var req api.RefreshRequest
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, &req); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	if req.RefreshToken != "" && !tokenShaped(req.RefreshToken) {
		s.writeError(w, r, badRequest("refresh_token must be a token this server issued"))
		return
	}
	ctx, c := r.Context(), callerOf(r)
	if req.RefreshToken != "" {
		t, err := s.store.Token(ctx, hashToken(req.RefreshToken))
		if err == nil && t.Username == c.user.Username {
			err = s.store.RevokeFamily(ctx, t.Family)
		}
		if err != nil && !errors.Is(err, ErrNotFound) {
			s.writeError(w, r, err)
			return
		}
	}
	if err := s.store.RevokeFamily(ctx, c.family); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// maxTokenBytes bounds a token sent back in a body; the server's have 43 characters.
const maxTokenBytes = 256

// tokenShaped reports whether s could be a token of this server (newToken): base64url
// text of a sane length. Anything else is a malformed request, not an unknown token.
func tokenShaped(s string) bool {
	if s == "" || len(s) > maxTokenBytes {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, http.StatusOK, callerOf(r).user)
}

// issueSession issues a new pair of tokens in family; an empty family (a login)
// starts a new one.
func (s *Server) issueSession(w http.ResponseWriter, r *http.Request, u UserRecord, family string) {
	now := s.now().UTC()
	access, refresh := newToken(), newToken()
	if family == "" {
		family = randomHex(16)
	}
	sess := api.Session{
		AccessToken:      access,
		AccessExpiresAt:  now.Add(s.accessTTL),
		RefreshToken:     refresh,
		RefreshExpiresAt: now.Add(s.refreshTTL),
		User:             publicUser(u),
	}
	for _, t := range []TokenRecord{
		{Hash: hashToken(access), Kind: tokenAccess, Username: u.Username, ExpiresAt: sess.AccessExpiresAt, Family: family},
		{Hash: hashToken(refresh), Kind: tokenRefresh, Username: u.Username, ExpiresAt: sess.RefreshExpiresAt, Family: family},
	} {
		if err := s.store.PutToken(r.Context(), t); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	writeJSON(w, r, http.StatusOK, sess)
}

func publicUser(u UserRecord) api.User {
	return api.User{Username: u.Username, Name: u.Name, Role: u.Role, OrgID: u.OrgID, OrgName: u.OrgName}
}

// authed wraps a handler that needs a valid access token.
func (s *Server) authed(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := s.authenticate(r)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="ecert"`)
			s.writeError(w, r, err)
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, c)))
	}
}

// client wraps a handler reserved to users of a producer organisation.
func (s *Server) client(next http.HandlerFunc) http.HandlerFunc {
	return s.authed(func(w http.ResponseWriter, r *http.Request) {
		if u := callerOf(r).user; u.Role != api.RoleClient || u.OrgID == "" {
			s.writeError(w, r, forbidden())
			return
		}
		next(w, r)
	})
}

func (s *Server) authenticate(r *http.Request) (caller, error) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return caller{}, unauthorized("missing bearer token")
	}
	h := hashToken(strings.TrimSpace(token))
	t, err := s.store.Token(r.Context(), h)
	if errors.Is(err, ErrNotFound) || err == nil && t.Kind != tokenAccess {
		return caller{}, unauthorized("unknown or revoked token")
	}
	if err != nil {
		return caller{}, err
	}
	if !s.now().Before(t.ExpiresAt) {
		return caller{}, newError(http.StatusUnauthorized, api.CodeTokenExpired, "access token expired; refresh it")
	}
	u, err := s.store.User(r.Context(), t.Username)
	if errors.Is(err, ErrNotFound) {
		return caller{}, unauthorized("user no longer exists")
	}
	if err != nil {
		return caller{}, err
	}
	return caller{user: publicUser(u), family: t.Family}, nil
}

// newToken returns 256 random bits, URL-safe. Tokens are opaque: all meaning is in the
// database row found by their hash.
func newToken() string {
	b := make([]byte, 32)
	rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// remoteHost is the peer's IP. Forwarding headers are ignored on purpose: they are
// set by the client and would let an attacker choose its rate-limit bucket.
func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
