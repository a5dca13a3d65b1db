// Package proxyprefs keeps the user's proxy settings: the mode, address and user in the
// replica (a meta row), the password in the vault. New clients take their proxy from
// here: the settings first, then the environment, then the system's.
package proxyprefs

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/app/coded"
	"github.com/ecert-desktop/ecert-desktop/app/vault"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client/proxy"
)

// Prefs is the proxy part of the settings, as the UI shows it. The password never
// leaves the vault: HasPassword says whether one is kept.
type Prefs struct {
	// Mode: "" (the environment's proxy, else the system's), "none" (direct) or
	// "manual" (URL).
	Mode        string `json:"mode"`
	URL         string `json:"url"`
	User        string `json:"user"`
	HasPassword bool   `json:"has_password"`
	// Source is where the proxy in use comes from: settings, environment, system or
	// direct.
	Source string `json:"source"`
	// Script is the system's proxy auto-config script when the system's proxy is in use
	// and has one: the script's address, or why it cannot be used.
	Script *proxy.ScriptStatus `json:"script,omitempty"`
}

// Input is a change of the proxy settings. With KeepPassword and the same user, the
// kept password stays; else Password replaces it ("" forgets it).
type Input struct {
	Mode         string `json:"mode"`
	URL          string `json:"url"`
	User         string `json:"user"`
	Password     string `json:"password"`
	KeepPassword bool   `json:"keep_password"`
}

// saved is what the replica keeps (meta row metaKey); the password is in the vault.
type saved struct {
	Mode  string `json:"mode"`
	URL   string `json:"url,omitempty"`
	User  string `json:"user,omitempty"`
	Vault string `json:"vault,omitempty"` // the vault holding the password, "" for none
}

const (
	metaKey = "proxy.settings"
	secret  = "proxy" // the password's name in the vault
)

// System is the system's proxy; a variable so that tests need not touch the OS.
var System = proxy.System

// Meta is the replica's key-value table.
type Meta interface {
	Meta(ctx context.Context, key string) (string, error)
	SetMeta(ctx context.Context, kv ...string) error
}

// Keeper reads and saves the settings of one replica.
type Keeper struct {
	Meta  Meta
	Vault *vault.Vault
	Log   *slog.Logger
}

// Prefs returns the settings and where the proxy in use comes from.
func (k Keeper) Prefs(ctx context.Context) Prefs {
	p, _ := k.Settings(ctx)
	prefs := Prefs{Mode: p.Mode, URL: p.URL, User: p.User, HasPassword: p.Password != "", Source: proxy.Direct}
	if ch, err := proxy.New(p, proxy.Env(), System()); err == nil {
		prefs.Source = ch.Source()
		if st, ok := ch.WithLog(k.Log).ScriptStatus(); ok {
			prefs.Script = &st
		}
	}
	return prefs
}

// Save checks and saves the settings. An unknown mode (invalid_input) or an address
// that is not a proxy's (invalid_proxy) is refused and changes nothing.
func (k Keeper) Save(ctx context.Context, in Input) error {
	if !slices.Contains([]string{proxy.Auto, proxy.None, proxy.Manual}, in.Mode) {
		return coded.Error(api.CodeInvalidInput)
	}
	old, _ := k.load(ctx)
	next := saved{Mode: in.Mode}
	if in.Mode == proxy.Manual {
		u, err := proxy.Normalise(in.URL)
		if err != nil {
			return coded.Error(api.CodeInvalidProxy)
		}
		next.URL, next.User = u, strings.TrimSpace(in.User)
	}
	keep := in.KeepPassword && next.User != "" && next.User == old.User && old.Vault != ""
	switch {
	case keep:
		next.Vault = old.Vault
	case next.User != "" && in.Password != "":
		next.Vault = old.Vault
		if next.Vault == "" {
			next.Vault = k.Vault.Choose()
		}
		err := k.Vault.PutSecret(next.Vault, secret, in.Password)
		if err != nil && next.Vault == vault.Keyring {
			k.Log.Warn("the keyring refused the proxy's password: keeping it in a private file", "error", err)
			next.Vault = vault.File
			err = k.Vault.PutSecret(next.Vault, secret, in.Password)
		}
		if err != nil {
			return err
		}
	}
	raw, err := json.Marshal(next)
	if err != nil {
		return err
	}
	if err := k.Meta.SetMeta(ctx, metaKey, string(raw)); err != nil {
		return err
	}
	if !keep && old.Vault != "" && next.Vault == "" {
		k.Vault.DropSecret(secret)
	}
	return nil
}

func (k Keeper) load(ctx context.Context) (saved, error) {
	var p saved
	raw, err := k.Meta.Meta(ctx, metaKey)
	if err != nil || raw == "" {
		return p, err
	}
	err = json.Unmarshal([]byte(raw), &p)
	return p, err
}

// Settings returns the saved settings with the password from the vault ("" when the
// vault cannot be read: the proxy will ask, and the user sees proxy_auth).
func (k Keeper) Settings(ctx context.Context) (proxy.Settings, error) {
	p, err := k.load(ctx)
	if err != nil {
		return proxy.Settings{}, err
	}
	out := proxy.Settings{Mode: p.Mode, URL: p.URL, User: p.User}
	if p.Vault != "" {
		pw, err := k.Vault.GetSecret(p.Vault, secret)
		if err != nil && !errors.Is(err, context.Canceled) {
			k.Log.Warn("the proxy's password cannot be read", "error", err)
		}
		out.Password = pw
	}
	return out, nil
}

// Chooser is the proxy choice of new clients: settings, environment, system.
func (k Keeper) Chooser(ctx context.Context) *proxy.Chooser {
	p, err := k.Settings(ctx)
	if err != nil {
		k.Log.Warn("read the proxy settings", "error", err)
	}
	ch, err := proxy.New(p, proxy.Env(), System())
	if err != nil { // a saved address that no longer parses: the environment's, else direct
		k.Log.Warn("the saved proxy is not valid: ignored", "error", err)
		ch, _ = proxy.New(proxy.Settings{}, proxy.Env(), System())
	}
	return ch.WithLog(k.Log)
}
