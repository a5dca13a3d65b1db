package server

import (
	"context"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// State returns what a client of the organisation must hold after a complete sync, in
// canonical form: the upserts of the change log, which keeps the latest change of
// every entity the client may see.
func (s *Server) State(ctx context.Context, orgID string) (api.State, error) {
	st := api.State{}
	var after int64
	for {
		page, err := s.store.Changes(ctx, orgID, after, MaxChangesLimit)
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
		if len(page) < MaxChangesLimit {
			return st, nil
		}
	}
}
