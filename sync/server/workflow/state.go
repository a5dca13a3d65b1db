package workflow

import (
	"context"
	"encoding/json"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// statePage is how many changes State reads at a time.
const statePage = 10000

// State returns what a client of the organisation must hold after a complete sync, in
// canonical form: the upserts of the change log, which keeps the latest change of
// every entity the client may see.
func (wf *Workflow) State(ctx context.Context, orgID string) (api.State, error) {
	st := api.State{}
	var after int64
	for {
		page, err := wf.store.Changes(ctx, orgID, after, statePage)
		if err != nil {
			return nil, err
		}
		for _, c := range page {
			if c.Op == api.OpUpsert {
				if err := st.Add(c.Entity, c.ID, c.Data); err != nil {
					return nil, err
				}
			}
			after = c.Seq
		}
		if len(page) < statePage {
			return st, nil
		}
	}
}

// All decodes every entity of a kind of an organisation, visible or not, by id.
func All[T any](ctx context.Context, st store.Entities, orgID, entity string) ([]T, error) {
	recs, err := st.All(ctx, orgID, entity)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(recs))
	for i, r := range recs {
		if err := json.Unmarshal(r.Data, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}
