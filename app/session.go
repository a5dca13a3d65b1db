package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/app/team"
	"github.com/ecert-desktop/ecert-desktop/app/vault"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
)

// Session logs the user in and out. It keeps who is logged in, and where, in the
// replica, and the login's tokens in the vault (app/vault); a running session syncs
// through Sync.
type Session struct {
	*base
	sync     *Sync
	defaults LoginDefaults
	keyring  bool // the tokens may go to the OS keyring (see Config.Keyring)

	mu       sync.Mutex
	recovery *Recovery // set when a damaged replica was rebuilt at start, until shown
}

// State returns who is logged in and whether the replica holds data; after a damaged
// replica was rebuilt, the first answer says what was recovered.
func (s *Session) State() SessionState {
	st := s.state(s.ctx)
	st.Recovery = s.takeRecovery()
	return st
}

// Defaults returns the values that pre-fill the login form.
func (s *Session) Defaults() LoginDefaults {
	d := s.defaults
	if server, _ := s.store.Meta(s.ctx, store.MetaServer); server != "" {
		d.Server = server
	}
	return d
}

// Login logs in to server. When another organisation than the replica's logs in, the
// replica is emptied first; a failed login leaves the replica untouched.
func (s *Session) Login(server, username, password string) (SessionState, error) {
	st, err := s.login(s.ctx, server, username, password)
	return st, s.fail(err)
}

// Logout revokes the session on the server when it can be reached and forgets it
// locally. The replica stays, readable after the next login.
func (s *Session) Logout() error { return s.fail(s.logout(s.ctx)) }

func (s *Session) login(ctx context.Context, server, username, password string) (SessionState, error) {
	username = strings.TrimSpace(username)
	if username == "" || password == "" {
		return SessionState{}, &CodeError{Code: api.CodeInvalidInput}
	}
	c, err := s.newClient(server)
	if err != nil {
		return SessionState{}, err
	}
	sess, err := c.Login(ctx, username, password)
	if err != nil {
		return SessionState{}, err
	}
	if sess.User.Role != api.RoleClient || sess.User.OrgID == "" {
		return SessionState{}, &CodeError{Code: api.CodeNotAClient}
	}
	s.sync.stop()
	if old, _, _ := s.saved(ctx); old == nil || old.User.OrgID != sess.User.OrgID {
		org, err := s.store.Portal.Organisation(ctx)
		if err == nil && org.ID != sess.User.OrgID {
			if err := s.store.Reset(ctx); err != nil {
				return SessionState{}, err
			}
		}
	}
	if err := s.save(ctx, c.Server(), sess); err != nil {
		return SessionState{}, err
	}
	s.sync.start(c)
	return s.state(ctx), nil
}

func (s *Session) logout(ctx context.Context) error {
	c := s.sync.client()
	s.sync.stop()
	if c != nil {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := c.Logout(ctx); err != nil {
			s.log.Info("logout without server", "error", err)
		}
	}
	s.vault().Drop()
	return s.store.SetMeta(ctx, store.MetaSession, "", metaVault, "")
}

// resume starts syncing with the saved session, if there is one.
func (s *Session) resume(ctx context.Context) error {
	saved, server, err := s.saved(ctx)
	if err != nil || saved == nil {
		return err
	}
	c, err := s.newClient(server)
	if err != nil {
		return err
	}
	c.SetSession(*saved)
	s.sync.start(c)
	return nil
}

// state describes the current session.
func (s *Session) state(ctx context.Context) SessionState {
	var st SessionState
	saved, server, err := s.saved(ctx)
	if err != nil {
		s.log.Error("read session", "error", err)
	}
	if org, err := s.store.Portal.Organisation(ctx); err == nil {
		st.HasData = true
		st.OrgID, st.OrgName = org.ID, org.Name
	}
	if saved == nil {
		st.Server, _ = s.store.Meta(ctx, store.MetaServer)
		return st
	}
	st.Ended = s.sync.expired()
	st.LoggedIn = st.Ended == ""
	st.TokenStore, _ = s.store.Meta(ctx, metaVault)
	st.Server, st.Username, st.Name = server, saved.User.Username, saved.User.Name
	st.OrgID, st.OrgName = saved.User.OrgID, saved.User.OrgName
	st.OrgRole = string(team.RoleOf(saved.User))
	return st
}

// user returns the logged-in user as the last login or refresh told it.
func (s *Session) user(ctx context.Context) (api.User, bool) {
	saved, _, err := s.saved(ctx)
	if err != nil || saved == nil {
		return api.User{}, false
	}
	return saved.User, true
}

// saved returns the saved session with its tokens and its server; nil when there is
// none, or when its tokens cannot be read (the user logs in again).
func (s *Session) saved(ctx context.Context) (*api.Session, string, error) {
	raw, err := s.store.Meta(ctx, store.MetaSession)
	if err != nil || raw == "" {
		return nil, "", err
	}
	server, err := s.store.Meta(ctx, store.MetaServer)
	if err != nil {
		return nil, "", err
	}
	var sess api.Session
	if err := json.Unmarshal([]byte(raw), &sess); err != nil {
		return nil, "", fmt.Errorf("saved session: %w", err)
	}
	if sess.AccessToken == "" { // the tokens are in the vault (sessions saved by older versions held them)
		kind, err := s.store.Meta(ctx, metaVault)
		if err != nil {
			return nil, "", err
		}
		t, err := s.vault().Get(kind)
		if err != nil {
			s.log.Warn("the saved login's tokens cannot be read: log in again", "error", err)
			return nil, server, nil
		}
		sess.AccessToken, sess.RefreshToken = t.Access, t.Refresh
	}
	return &sess, server, nil
}

func (s *Session) newClient(server string) (*client.Client, error) {
	return client.New(server, client.WithProxy(s.proxy().Chooser(s.ctx).Proxy), client.OnRefresh(func(sess api.Session) {
		// Persist at once: the old refresh token is spent.
		if err := s.save(context.WithoutCancel(context.Background()), server, sess); err != nil {
			s.log.Error("save refreshed session", "error", err)
		}
	}))
}

// save keeps the session: who and where in the replica, the tokens in the vault.
func (s *Session) save(ctx context.Context, server string, sess api.Session) error {
	kind, err := s.store.Meta(ctx, metaVault)
	if err != nil {
		return err
	}
	if kind == "" {
		kind = s.vault().Choose()
	}
	if err := s.vault().Put(kind, vault.Of(sess)); err != nil && kind == VaultKeyring {
		s.log.Warn("the keyring refused the login: keeping it in a private file", "error", err)
		kind = VaultFile
		err = s.vault().Put(kind, vault.Of(sess))
	} else if err != nil {
		return err
	}
	sess.AccessToken, sess.RefreshToken = "", ""
	raw, err := json.Marshal(sess)
	if err != nil {
		return err
	}
	return s.store.SetMeta(ctx, store.MetaServer, server, store.MetaSession, string(raw), metaVault, kind)
}

// vault keeps the login's tokens, out of the replica.
func (s *Session) vault() *vault.Vault { return vault.New(s.store.Dir(), s.keyring, s.log) }

// takeRecovery returns, once, what happened to a damaged replica at start (nil if none).
func (s *Session) takeRecovery() *Recovery {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.recovery
	s.recovery = nil
	return r
}

// Where the login's tokens are kept (SessionState.TokenStore).
const (
	VaultKeyring = vault.Keyring
	VaultFile    = vault.File
)

// metaVault is the replica's meta key naming the vault of the saved session's tokens.
const metaVault = vault.Meta
