package workflow

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/blobs"
	"github.com/ecert-desktop/ecert-desktop/sync/server/problem"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// Store is what the workflow needs of the database.
type Store interface {
	store.Entities
	User(ctx context.Context, username string) (store.UserRecord, error)
	UsedBytes(ctx context.Context, orgID string) (int64, error)
	// Operator reads the directory (for chain.add), or store.ErrNotFound.
	Operator(ctx context.Context, floID string) (api.Operator, error)
}

// Options configure a Workflow. Store and Blobs are required.
type Options struct {
	Store Store
	Blobs blobs.Store
	// Limits are the evidence limits of the configuration (UsedBytes aside), as
	// clients receive them.
	Limits api.Limits
	Now    func() time.Time // nil means time.Now
	// Kinds apply push kinds that live in other packages (change requests), in the
	// push's transaction like the workflow's own.
	Kinds map[string]KindFunc
}

// KindFunc applies one push entry of a kind in tx and returns its result: a rejection
// is a result, an error aborts the transaction. It returns the trail's detail too
// ("" for none).
type KindFunc func(tx store.Tx, u api.User, clientID string, e api.PushEntry, now time.Time) (res api.PushResult, detail string, err error)

// Workflow is the NC workflow: the steps of auditors and analysts, the application of
// clients' pushes, and the server's own writes of entities. Every change goes through
// the change log. Safe for concurrent use.
type Workflow struct {
	store  Store
	blobs  blobs.Store
	limits api.Limits
	now    func() time.Time
	kinds  map[string]KindFunc
}

// New returns a Workflow; it starts nothing.
func New(o Options) *Workflow {
	w := &Workflow{store: o.Store, blobs: o.Blobs, limits: o.Limits, now: o.Now, kinds: o.Kinds}
	w.limits.ID, w.limits.UsedBytes = limitsID, 0
	if w.now == nil {
		w.now = time.Now
	}
	return w
}

// StageEntered is the stage of an NC the auditor entered and the analyst has not yet
// confirmed. Such NCs are stored but never shown to clients (not in api: clients never
// see it).
const StageEntered = "entered"

// Refusals of workflow steps, answered by the console with their status. Compare with
// errors.Is. A missing NC, audit or organisation is store.ErrNotFound.
var (
	ErrWrongStage      = problem.WithStatus(api.CodeWrongStage, 409, "the NC's stage does not allow this action")
	ErrCommentRequired = problem.WithStatus(api.CodeCommentRequired, 400, "a comment is required")
	ErrInvalid         = problem.WithStatus(api.CodeInvalid, 400, "invalid input")
	ErrRole            = problem.WithStatus(api.CodeRole, 403, "this user's role may not do this")
	// ErrExists is an ErrInvalid: the NC number is taken.
	ErrExists = ErrInvalid.Narrow("exists", 409, "the item exists already")
	// ErrOpenNCs is an ErrWrongStage: FinaliseCertification while NCs of the audit are
	// open; the message lists them.
	ErrOpenNCs = ErrWrongStage.Narrow("open_ncs", 409, "NCs of the audit are not closed")
)

func wrongStage(nc api.NC, action string, allowed ...string) error {
	return problem.Errorf(ErrWrongStage, "cannot %s NC %s: its stage is %s, it must be %s",
		action, nc.ID, nc.Stage, strings.Join(allowed, " or "))
}

// WriteOf is a visible upsert of v.
func WriteOf(entity, id, parent string, v any) store.EntityWrite {
	return store.EntityWrite{Entity: entity, ID: id, Parent: parent, Visible: true,
		Encode: func(int64) (json.RawMessage, error) { return json.Marshal(v) }}
}

// NCWrite is the write of an NC with its new revision; an entered NC stays invisible.
func NCWrite(nc api.NC) store.EntityWrite {
	return store.EntityWrite{Entity: api.EntityNC, ID: nc.ID, Parent: nc.AuditID, Visible: nc.Stage != StageEntered,
		Encode: func(rev int64) (json.RawMessage, error) {
			nc.Revision = rev
			return json.Marshal(nc)
		}}
}

func today(t time.Time) api.Date { return api.Date(t.UTC().Format(time.DateOnly)) }

// randomInt returns a random number in [0, n), for new NC numbers.
func randomInt(n int) int { return rand.IntN(n) }
