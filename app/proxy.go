package app

import (
	"context"

	"github.com/ecert-desktop/ecert-desktop/app/proxyprefs"
)

// Proxy returns the proxy settings and where the proxy in use comes from.
func (s *Settings) Proxy() proxyprefs.Prefs { return s.session.proxy().Prefs(s.ctx) }

// SetProxy saves the proxy settings and makes the running sync use them at once. An
// invalid address is refused (invalid_proxy) and changes nothing.
func (s *Settings) SetProxy(in proxyprefs.Input) (proxyprefs.Prefs, error) {
	if err := s.session.proxy().Save(s.ctx, in); err != nil {
		return proxyprefs.Prefs{}, s.fail(err)
	}
	if err := s.session.reconnect(s.ctx); err != nil {
		return proxyprefs.Prefs{}, s.fail(err)
	}
	return s.Proxy(), nil
}

func (s *Session) proxy() proxyprefs.Keeper {
	return proxyprefs.Keeper{Meta: s.store, Vault: s.vault(), Log: s.log}
}

// reconnect starts the running sync again with a new client (new proxy settings).
func (s *Session) reconnect(ctx context.Context) error {
	if s.sync.client() == nil {
		return nil
	}
	s.sync.stop()
	return s.resume(ctx)
}
