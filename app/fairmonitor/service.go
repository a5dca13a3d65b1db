package fairmonitor

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/coded"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/app/store/chains"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// EventAlert is emitted with []chains.Alert when partners of the chains are newly
// suspended, decertified or about to expire (each event once).
const EventAlert = "chain:alert"

// Config is what the app gives the service.
type Config struct {
	Context context.Context     // of the bound calls; cancelled when the app closes
	Store   func() *store.Store // the replica, once the app opened it
	Now     func() time.Time
	Emit    func(event string, data any)
	Kick    func() // asks for a sync, when a session runs
	Log     *slog.Logger
	// Fail turns an error into what a bound method returns: a code the window translates.
	Fail func(error) error
}

// Chains is the bound service of the supply chains. Every call works offline.
type Chains struct{ cfg Config }

// New returns the service.
func New(cfg Config) *Chains { return &Chains{cfg: cfg} }

// Partner is one partner of a chain with its certification from the directory's copy.
type Partner struct {
	chains.Link
	Name       string   `json:"name"`    // "" when the copy does not hold the operator yet
	Country    string   `json:"country"` // ISO 3166-1 alpha-2
	Status     string   `json:"status"`  // api.OperatorStatuses; "" when unknown
	ValidUntil api.Date `json:"valid_until"`
	// Expiring: certified, and the certificate ends within 60 days.
	Expiring bool `json:"expiring"`
}

// Chain is the partners of one product.
type Chain struct {
	Product  string    `json:"product"`
	Partners []Partner `json:"partners"`
	// AtRisk counts the partners suspended, decertified or expiring.
	AtRisk int `json:"at_risk"`
}

// View is every chain, by product.
type View struct {
	Chains []Chain `json:"chains"`
}

// List returns every chain with each partner's status.
func (c *Chains) List() (View, error) {
	v, err := c.list(c.cfg.Context)
	return v, c.cfg.Fail(err)
}

func (c *Chains) list(ctx context.Context) (View, error) {
	st := c.cfg.Store()
	links, err := st.Chains.List(ctx)
	if err != nil {
		return View{}, err
	}
	limit := c.cfg.Now().Add(chains.ExpiryWarning).Format(time.DateOnly)
	v := View{Chains: []Chain{}}
	for _, l := range links {
		p := Partner{Link: l}
		op, err := st.Directory.Partner(ctx, l.FLOID)
		switch {
		case err == nil:
			p.Name, p.Country, p.Status, p.ValidUntil = op.Name, op.Country, op.Status, op.ValidUntil
			p.Expiring = op.Status == api.StatusCertified && op.ValidUntil != "" && string(op.ValidUntil) <= limit
		case !errors.Is(err, store.ErrNotFound):
			return View{}, err
		}
		n := len(v.Chains)
		if n == 0 || !strings.EqualFold(v.Chains[n-1].Product, l.Product) {
			v.Chains = append(v.Chains, Chain{Product: l.Product})
			n++
		}
		ch := &v.Chains[n-1]
		ch.Partners = append(ch.Partners, p)
		if p.Expiring || p.Status == api.StatusSuspended || p.Status == api.StatusDecertified {
			ch.AtRisk++
		}
	}
	return v, nil
}

// Edit is an addition to a chain from the window or the command line.
type Edit struct {
	Product string `json:"product"`
	FLOID   string `json:"flo_id"`
	Role    string `json:"role"` // buyer or supplier; "" means supplier
}

// Add puts a partner of the directory in the chain of a product (a new chain when the
// product has none), offline: the outbox sends it. An FLO ID the directory's copy does
// not hold is partner_unknown, bad fields are invalid_input; nothing is queued then.
func (c *Chains) Add(e Edit) error {
	return c.cfg.Fail(c.add(c.cfg.Context, e))
}

func (c *Chains) add(ctx context.Context, e Edit) error {
	link := api.ChainLink{Product: e.Product, FLOID: strings.TrimSpace(e.FLOID), Role: strings.TrimSpace(e.Role)}
	if link.Role == "" {
		link.Role = api.ChainSupplier
	}
	if api.ChainProblem(link, true) != "" {
		return coded.Error(api.CodeInvalidInput)
	}
	st := c.cfg.Store()
	op, err := st.Directory.Partner(ctx, link.FLOID)
	if errors.Is(err, store.ErrNotFound) {
		return coded.Error(api.CodePartnerUnknown)
	}
	if err != nil {
		return err
	}
	link.FLOID = op.FLOID
	if err := st.Chains.Queue(ctx, api.KindChainAdd, link, c.cfg.Now()); err != nil {
		return err
	}
	c.changed(ctx)
	return nil
}

// Remove takes a partner out of the chain of a product, offline. A partner the chain
// does not hold is not_in_chain; nothing is queued then.
func (c *Chains) Remove(product, floID string) error {
	return c.cfg.Fail(c.remove(c.cfg.Context, product, floID))
}

func (c *Chains) remove(ctx context.Context, product, floID string) error {
	link := api.ChainLink{Product: product, FLOID: strings.TrimSpace(floID)}
	if api.ChainProblem(link, false) != "" {
		return coded.Error(api.CodeInvalidInput)
	}
	st := c.cfg.Store()
	links, err := st.Chains.List(ctx)
	if err != nil {
		return err
	}
	id := api.ChainLinkID(link.Product, link.FLOID)
	held := false
	for _, l := range links {
		if l.ID == id && l.Pending != chains.PendingRemove {
			held, link.Product = true, l.Product
		}
	}
	if !held {
		return coded.Error(api.CodeNotInChain)
	}
	if err := st.Chains.Queue(ctx, api.KindChainRemove, link, c.cfg.Now()); err != nil {
		return err
	}
	c.changed(ctx)
	return nil
}

func (c *Chains) changed(ctx context.Context) {
	if c.cfg.Kick != nil {
		c.cfg.Kick()
	}
}

// Check raises the alerts the last sync brought (a partner suspended, decertified or
// about to expire), each once, to the window. The app calls it after each sync that
// changed something.
func (c *Chains) Check(ctx context.Context) []chains.Alert {
	st := c.cfg.Store()
	if st == nil {
		return nil
	}
	alerts, err := st.Chains.NewAlerts(ctx, c.cfg.Now())
	if err != nil {
		if c.cfg.Log != nil {
			c.cfg.Log.Error("check chains", "error", err)
		}
		return nil
	}
	if len(alerts) > 0 && c.cfg.Emit != nil {
		c.cfg.Emit(EventAlert, alerts)
	}
	return alerts
}
