package partners

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ecert-desktop/ecert-desktop/app/coded"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/app/store/directory"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
)

// Platform is what the service needs of the OS boundary (app.Platform has it).
type Platform interface {
	SaveDialog(defaultName string) (string, error)
}

// Config is what the app gives the service.
type Config struct {
	Context  context.Context     // of the bound calls; cancelled when the app closes
	Store    func() *store.Store // the replica, once the app opened it
	Platform Platform
	Now      func() time.Time
	Language func() string // the UI's language
	// Client returns the running session's client, or one of the saved session (the
	// headless commands); nil when logged out.
	Client func(ctx context.Context) (*client.Client, error)
	// Code is the code of an error ("" when it has none); Fail turns an error into what
	// a bound method returns: a code the window translates.
	Code func(error) string
	Fail func(error) error
}

// Partners searches the copy of the operator directory, offline, and checks a
// partner's certification status with the server when there is a connection.
type Partners struct{ cfg Config }

// New returns the service.
func New(cfg Config) *Partners { return &Partners{cfg: cfg} }

// StatusCheckTimeout bounds the server's answer to a status check: past it, the copy's
// status is shown. A package variable so that tests may shorten it.
var StatusCheckTimeout = 5 * time.Second

// maxSearchText caps the search text: longer input is cut, never refused.
const maxSearchText = 1000

// PartnerSearch is a search from the window or the command line.
type PartnerSearch struct {
	Text    string `json:"text"`
	Country string `json:"country"`
	Product string `json:"product"`
	Role    string `json:"role"`
	Status  string `json:"status"`
	Limit   int    `json:"limit"`
}

// PartnerResults are a search's partners and how fresh the copy they come from is.
type PartnerResults struct {
	Partners  []PartnerRow        `json:"partners"`
	More      bool                `json:"more"` // more matched than the limit: narrow the search
	Freshness directory.Freshness `json:"freshness"`
}

// PartnerRow is one operator found (the bindings need a named struct of its own).
type PartnerRow struct {
	directory.Partner
}

// Search finds partners in the copy; it needs no connection.
func (p *Partners) Search(q PartnerSearch) (PartnerResults, error) {
	r, err := p.search(p.cfg.Context, q)
	return r, p.cfg.Fail(err)
}

func (p *Partners) search(ctx context.Context, q PartnerSearch) (PartnerResults, error) {
	if len(q.Text) > maxSearchText {
		q.Text = q.Text[:maxSearchText]
		for !utf8.ValidString(q.Text) { // not in the middle of a character
			q.Text = q.Text[:len(q.Text)-1]
		}
	}
	res, err := p.cfg.Store().Directory.Search(ctx, directory.PartnerQuery{Text: q.Text, Country: strings.ToUpper(strings.TrimSpace(q.Country)),
		Product: strings.ToLower(strings.TrimSpace(q.Product)), Role: strings.TrimSpace(q.Role), Status: strings.TrimSpace(q.Status), Limit: q.Limit})
	if err != nil {
		return PartnerResults{}, err
	}
	f, err := p.cfg.Store().Directory.Freshness(ctx)
	out := PartnerResults{Partners: make([]PartnerRow, len(res.Partners)), More: res.More, Freshness: f}
	for i, r := range res.Partners {
		out.Partners[i] = PartnerRow{r}
	}
	return out, err
}

// Freshness says how many operators the copy holds and when it was last brought up to
// date.
func (p *Partners) Freshness() (directory.Freshness, error) {
	f, err := p.cfg.Store().Directory.Freshness(p.cfg.Context)
	return f, p.cfg.Fail(err)
}

// PartnerStatus is a partner's certification status: the server's when it answered
// (Checked), else the copy's.
type PartnerStatus struct {
	directory.Partner
	// Checked: the server gave this status just now (CheckedAt says when).
	Checked bool `json:"checked"`
	// NotChecked is why the server was not asked or did not answer (a code: unreachable,
	// not_logged_in, …); empty when Checked.
	NotChecked string `json:"not_checked,omitempty"`
	// CopyAt is when the copy was last brought up to date (RFC 3339).
	CopyAt string `json:"copy_at"`
}

// Status returns a partner's status by FLO ID, asked of the server when online. An
// FLO ID neither the server nor the copy knows is partner_unknown.
func (p *Partners) Status(floID string) (PartnerStatus, error) {
	s, err := p.status(p.cfg.Context, floID)
	return s, p.cfg.Fail(err)
}

func (p *Partners) status(ctx context.Context, floID string) (PartnerStatus, error) {
	floID = strings.TrimSpace(floID)
	if floID == "" || len(floID) > 64 || !utf8.ValidString(floID) {
		return PartnerStatus{}, coded.Error(api.CodePartnerUnknown)
	}
	var out PartnerStatus
	f, err := p.cfg.Store().Directory.Freshness(ctx)
	if err != nil {
		return out, err
	}
	out.CopyAt = f.SyncedAt
	c, err := p.cfg.Client(ctx)
	if err == nil && c == nil {
		err = coded.Error(api.CodeNotLoggedIn)
	}
	if err == nil {
		cctx, cancel := context.WithTimeout(ctx, StatusCheckTimeout)
		var op api.Operator
		op, err = c.Operator(cctx, floID)
		cancel()
		if err == nil {
			out.Partner, err = p.cfg.Store().Directory.Checked(ctx, op, p.cfg.Now())
			out.Checked = err == nil
			return out, err
		}
		if client.Code(err) == api.CodePartnerUnknown {
			return out, err
		}
	}
	out.NotChecked = p.cfg.Code(err)
	if out.NotChecked == "" || errors.Is(err, context.DeadlineExceeded) {
		out.NotChecked = api.CodeUnreachable
	}
	out.Partner, err = p.cfg.Store().Directory.Partner(ctx, floID)
	if errors.Is(err, store.ErrNotFound) {
		return out, coded.Error(api.CodePartnerUnknown)
	}
	return out, err
}
