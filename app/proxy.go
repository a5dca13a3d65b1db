package app

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client/proxy"
)

// ProxyPrefs is the proxy part of the settings, as the UI shows it. The password never
// leaves the vault: HasPassword says whether one is kept.
type ProxyPrefs struct {
	// Mode: "" (the environment's proxy, else the system's), "none" (direct) or
	// "manual" (URL).
	Mode        string `json:"mode"`
	URL         string `json:"url"`
	User        string `json:"user"`
	HasPassword bool   `json:"has_password"`
	// Source is where the proxy in use comes from: settings, environment, system or
	// direct.
	Source string `json:"source"`
}

// ProxyInput is a change of the proxy settings. With KeepPassword and the same user,
// the kept password stays; else Password replaces it ("" forgets it).
type ProxyInput struct {
	Mode         string `json:"mode"`
	URL          string `json:"url"`
	User         string `json:"user"`
	Password     string `json:"password"`
	KeepPassword bool   `json:"keep_password"`
}

// savedProxy is what the replica keeps (meta metaProxy); the password is in the vault.
type savedProxy struct {
	Mode  string `json:"mode"`
	URL   string `json:"url,omitempty"`
	User  string `json:"user,omitempty"`
	Vault string `json:"vault,omitempty"` // the vault holding the password, "" for none
}

const (
	metaProxy   = "proxy.settings"
	proxySecret = "proxy" // the password's name in the vault
)

// systemProxy is the system's proxy; a variable so that tests need not touch the OS.
var systemProxy = proxy.System

// Proxy returns the proxy settings and where the proxy in use comes from.
func (s *Settings) Proxy() ProxyPrefs {
	p, _ := s.session.proxySettings(s.ctx)
	prefs := ProxyPrefs{Mode: p.Mode, URL: p.URL, User: p.User, HasPassword: p.Password != "", Source: proxy.Direct}
	if ch, err := proxy.New(p, proxy.Env(), systemProxy()); err == nil {
		prefs.Source = ch.Source()
	}
	return prefs
}

// SetProxy saves the proxy settings and makes the running sync use them at once. An
// invalid address is refused (invalid_proxy) and changes nothing.
func (s *Settings) SetProxy(in ProxyInput) (ProxyPrefs, error) {
	if err := s.session.setProxy(s.ctx, in); err != nil {
		return ProxyPrefs{}, s.fail(err)
	}
	return s.Proxy(), nil
}

func (s *Session) setProxy(ctx context.Context, in ProxyInput) error {
	if !slices.Contains([]string{proxy.Auto, proxy.None, proxy.Manual}, in.Mode) {
		return &CodeError{Code: api.CodeInvalidInput}
	}
	old, _ := s.loadProxy(ctx)
	next := savedProxy{Mode: in.Mode}
	if in.Mode == proxy.Manual {
		u, err := proxy.Normalise(in.URL)
		if err != nil {
			return &CodeError{Code: api.CodeInvalidProxy}
		}
		next.URL, next.User = u, strings.TrimSpace(in.User)
	}
	v := s.vault()
	keep := in.KeepPassword && next.User != "" && next.User == old.User && old.Vault != ""
	switch {
	case keep:
		next.Vault = old.Vault
	case next.User != "" && in.Password != "":
		next.Vault = old.Vault
		if next.Vault == "" {
			next.Vault = v.Choose()
		}
		if err := v.PutSecret(next.Vault, proxySecret, in.Password); err != nil && next.Vault == VaultKeyring {
			s.log.Warn("the keyring refused the proxy's password: keeping it in a private file", "error", err)
			next.Vault = VaultFile
			err = v.PutSecret(next.Vault, proxySecret, in.Password)
			if err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
	}
	raw, err := json.Marshal(next)
	if err != nil {
		return err
	}
	if err := s.store.SetMeta(ctx, metaProxy, string(raw)); err != nil {
		return err
	}
	if !keep && old.Vault != "" && next.Vault == "" {
		v.DropSecret(proxySecret)
	}
	return s.reconnect(ctx)
}

// reconnect starts the running sync again with a new client (new proxy settings).
func (s *Session) reconnect(ctx context.Context) error {
	if s.sync.client() == nil {
		return nil
	}
	s.sync.stop()
	return s.resume(ctx)
}

func (s *Session) loadProxy(ctx context.Context) (savedProxy, error) {
	var p savedProxy
	raw, err := s.store.Meta(ctx, metaProxy)
	if err != nil || raw == "" {
		return p, err
	}
	err = json.Unmarshal([]byte(raw), &p)
	return p, err
}

// proxySettings returns the saved proxy settings with the password from the vault (""
// when the vault cannot be read: the proxy will ask, and the user sees proxy_auth).
func (s *Session) proxySettings(ctx context.Context) (proxy.Settings, error) {
	p, err := s.loadProxy(ctx)
	if err != nil {
		return proxy.Settings{}, err
	}
	out := proxy.Settings{Mode: p.Mode, URL: p.URL, User: p.User}
	if p.Vault != "" {
		pw, err := s.vault().GetSecret(p.Vault, proxySecret)
		if err != nil && !errors.Is(err, context.Canceled) {
			s.log.Warn("the proxy's password cannot be read", "error", err)
		}
		out.Password = pw
	}
	return out, nil
}

// proxyChooser is the proxy choice of new clients: settings, environment, system.
func (s *Session) proxyChooser(ctx context.Context) *proxy.Chooser {
	p, err := s.proxySettings(ctx)
	if err != nil {
		s.log.Warn("read the proxy settings", "error", err)
	}
	ch, err := proxy.New(p, proxy.Env(), systemProxy())
	if err != nil { // a saved address that no longer parses: the environment's, else direct
		s.log.Warn("the saved proxy is not valid: ignored", "error", err)
		ch, _ = proxy.New(proxy.Settings{}, proxy.Env(), systemProxy())
	}
	return ch
}
