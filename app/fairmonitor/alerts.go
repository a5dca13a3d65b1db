package fairmonitor

import (
	"context"

	"github.com/ecert-desktop/ecert-desktop/app/coded"
	"github.com/ecert-desktop/ecert-desktop/app/store/chains"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Alerts returns the alerts raised about the chains' partners, newest first, with
// whether the user saw them.
func (c *Chains) Alerts() ([]chains.PastAlert, error) {
	a, err := c.alerts(c.cfg.Context)
	return a, c.cfg.Fail(err)
}

func (c *Chains) alerts(ctx context.Context) ([]chains.PastAlert, error) {
	st := c.cfg.Store()
	if st == nil {
		return []chains.PastAlert{}, nil
	}
	return st.Chains.Alerts(ctx)
}

// MarkSeen marks alerts seen (all unseen ones when keys is empty) and returns how many
// it marked; more keys than the list holds is invalid_input.
func (c *Chains) MarkSeen(keys []string) (int, error) {
	n, err := c.markSeen(c.cfg.Context, keys)
	return n, c.cfg.Fail(err)
}

func (c *Chains) markSeen(ctx context.Context, keys []string) (int, error) {
	if len(keys) > chains.MaxPastAlerts {
		return 0, coded.Error(api.CodeInvalidInput)
	}
	st := c.cfg.Store()
	if st == nil {
		return 0, nil
	}
	return st.Chains.MarkSeen(ctx, keys, c.cfg.Now())
}
