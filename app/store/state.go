package store

import (
	"context"
	"fmt"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// State returns the replica's synced entities in canonical form, to compare with the
// server's (api.State): after a complete sync they are equal.
func (s *Store) State(ctx context.Context) (api.State, error) {
	st, err := s.state(ctx)
	return st, s.db.noted(err)
}

func (s *Store) state(ctx context.Context) (api.State, error) {
	st := api.State{}
	for _, e := range api.Entities {
		rows, err := s.db.sql.QueryContext(ctx, `SELECT id, data FROM `+e)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", e, err)
		}
		for rows.Next() {
			var id, data string
			if err := rows.Scan(&id, &data); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read %s: %w", e, err)
			}
			if err := st.Add(e, id, []byte(data)); err != nil {
				rows.Close()
				return nil, err
			}
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read %s: %w", e, err)
		}
		rows.Close()
	}
	return st, nil
}
