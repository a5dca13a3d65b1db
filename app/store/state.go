package store

import (
	"context"

	"github.com/ecert-desktop/ecert-desktop/app/store/census"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// State returns the replica's synced entities in canonical form (census.State).
func (s *Store) State(ctx context.Context) (api.State, error) {
	st, err := census.State(ctx, s.db.sql)
	return st, s.db.noted(err)
}

// Counts returns the number of rows of each entity (census.Counts).
func (s *Store) Counts(ctx context.Context) (map[string]int, error) {
	c, err := census.Counts(ctx, s.db.sql)
	return c, s.db.noted(err)
}
