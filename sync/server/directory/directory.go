package directory

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// Page sizes of GET /directory. A page of 5,000 operators is about 250 KB gzipped:
// the first pull of 30,000 takes six round trips, a later one with a few changes one.
const (
	DefaultPageLimit = 5000
	MaxPageLimit     = 10000
)

// ErrUnknown answers a FLO ID no operator has.
var ErrUnknown = problem.New(api.CodePartnerUnknown, "no operator has this FLO ID")

// Directory serves the operator directory. It is safe for concurrent use.
type Directory struct {
	store store.Directory
	now   func() time.Time
}

// New returns the directory over s; now dates status changes (time.Now when nil).
func New(s store.Directory, now func() time.Time) *Directory {
	if now == nil {
		now = time.Now
	}
	return &Directory{store: s, now: now}
}

// Page returns the operators changed after seq after, at most limit of them.
func (d *Directory) Page(ctx context.Context, after int64, limit int) (api.DirectoryPage, error) {
	// One more than asked tells whether another page follows.
	ops, err := d.store.DirectoryChanges(ctx, after, limit+1)
	if err != nil {
		return api.DirectoryPage{}, err
	}
	page := api.DirectoryPage{Operators: ops, After: after}
	if len(ops) > limit {
		page.Operators, page.More = ops[:limit], true
	}
	if n := len(page.Operators); n > 0 {
		page.After = page.Operators[n-1].Seq
	}
	if page.Operators == nil {
		page.Operators = []api.Operator{}
	}
	return page, nil
}

// Operator returns an operator's current facts, or ErrUnknown.
func (d *Directory) Operator(ctx context.Context, floID string) (api.Operator, error) {
	op, err := d.store.Operator(ctx, floID)
	if errors.Is(err, store.ErrNotFound) {
		return op, ErrUnknown
	}
	return op, err
}

// Suspend suspends a certified operator. An operator suspended already stays as it is;
// one that is not certified (decertified, in application) cannot be suspended.
func (d *Directory) Suspend(ctx context.Context, floID string) (api.Operator, error) {
	return d.move(ctx, floID, api.StatusCertified, api.StatusSuspended)
}

// Reinstate certifies a suspended operator again. Idempotent like Suspend.
func (d *Directory) Reinstate(ctx context.Context, floID string) (api.Operator, error) {
	return d.move(ctx, floID, api.StatusSuspended, api.StatusCertified)
}

// ErrWrongStatus refuses a suspension or reinstatement the operator's status does not
// allow.
var ErrWrongStatus = problem.WithStatus(api.CodeWrongStage, http.StatusConflict, "the operator's status does not allow this")

func (d *Directory) move(ctx context.Context, floID, from, to string) (api.Operator, error) {
	op, err := d.Operator(ctx, floID)
	if err != nil || op.Status == to {
		return op, err
	}
	if op.Status != from {
		return op, ErrWrongStatus
	}
	op, err = d.store.SetOperatorStatus(ctx, floID, to, d.now())
	if errors.Is(err, store.ErrNotFound) {
		return op, ErrUnknown
	}
	return op, err
}

// Known are the demo organisations as operators: a partner search finds them too.
func Known(now time.Time) []api.Operator {
	day := now.UTC().Truncate(24 * time.Hour)
	return []api.Operator{
		{FLOID: "3542", Name: "Coopérative des Planteurs du Mont Vert", Country: "CM", Role: "producer",
			Products: []string{"cocoa", "coffee"}, Status: api.StatusCertified, ValidUntil: "2027-10-14", StatusChangedAt: day.AddDate(0, -3, 0)},
		{FLOID: "27816", Name: "Domaine de Rivière Claire", Country: "MG", Role: "producer",
			Products: []string{"spices"}, Status: api.StatusCertified, ValidUntil: "2027-03-31", StatusChangedAt: day.AddDate(0, -8, 0)},
	}
}

// DemoSize is how many operators Seed generates. A package variable so that tests of
// other parts may seed a smaller directory.
var DemoSize = 30000

// DemoSeed makes the demo directory the same on every machine.
const DemoSeed = 14

// Seed fills an empty directory with the known operators and DemoSize generated ones;
// it does nothing when the directory holds operators already.
func Seed(ctx context.Context, s store.Directory, now time.Time) error {
	return SeedWith(ctx, s, DemoSeed, DemoSize, now)
}

// SeedWith is Seed with n operators generated from seed.
func SeedWith(ctx context.Context, s store.Directory, seed uint64, n int, now time.Time) error {
	if some, err := s.DirectoryChanges(ctx, 0, 1); err != nil || len(some) > 0 {
		return err
	}
	ops := append(Known(now), Generate(seed, n, now)...)
	if err := s.PutOperators(ctx, ops); err != nil {
		return fmt.Errorf("seed directory: %w", err)
	}
	return nil
}
