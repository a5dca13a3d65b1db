package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// pushAssign applies nc.assign: the NC's responsible person (an active account of the
// organisation, e.Text; empty: nobody) and internal due date (e.Due). The author is the
// caller, from its token. The last one applied wins: assignments are the manager's
// decisions, ordered by the server, never merged.
func (wf *Workflow) pushAssign(ctx context.Context, tx store.Tx, u api.User, e api.PushEntry, now time.Time) (api.PushResult, error) {
	nc, ok, err := visibleNC(tx, e.NCID)
	if err != nil || !ok {
		return rejected(e, api.CodeNCNotFound, "no such NC"), err
	}
	if e.Due != "" {
		if _, err := time.Parse(time.DateOnly, e.Due); err != nil {
			return rejected(e, api.CodeBadEntry, "due must be YYYY-MM-DD"), nil
		}
	}
	if e.Text == "" {
		if e.Due != "" {
			return rejected(e, api.CodeBadEntry, "a due date needs a responsible person"), nil
		}
		return api.PushResult{Seq: e.Seq, Status: api.PushApplied}, tx.Write(store.EntityWrite{Entity: api.EntityAssignment, ID: nc.ID, Parent: nc.ID, Delete: true, Visible: true})
	}
	who, err := wf.store.User(ctx, e.Text)
	if errors.Is(err, store.ErrNotFound) || err == nil && (who.OrgID != u.OrgID || who.Disabled) {
		return rejected(e, api.CodeAssigneeUnknown, "not an active account of the organisation"), nil
	}
	if err != nil {
		return api.PushResult{}, err
	}
	a := api.Assignment{NCID: nc.ID, Assignee: who.Username, AssigneeName: who.Name, Due: api.Date(e.Due),
		AssignedBy: u.Username, AssignedByName: u.Name, AssignedAt: now}
	err = tx.Write(store.EntityWrite{Entity: api.EntityAssignment, ID: nc.ID, Parent: nc.ID, Visible: true,
		Encode: func(rev int64) (json.RawMessage, error) {
			a.Revision = rev
			return json.Marshal(a)
		}})
	return api.PushResult{Seq: e.Seq, Status: api.PushApplied, Assignment: &a}, err
}
