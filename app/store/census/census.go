// Package census reads what a replica holds of each synced entity as a whole: how many
// rows (Counts, which every sync and `status` print) and every row in canonical form
// (State, to compare with the server's after a sync).
package census

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Counts returns the number of rows of each entity, as the triggers of the replica's
// migration 16 keep them: one small read whatever the replica holds.
func Counts(ctx context.Context, db *sql.DB) (map[string]int, error) {
	counts := make(map[string]int, len(api.Entities))
	rows, err := db.QueryContext(ctx, `SELECT entity, n FROM entity_count`)
	if err != nil {
		return nil, fmt.Errorf("read counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e string
		var n int
		if err := rows.Scan(&e, &n); err != nil {
			return nil, fmt.Errorf("read counts: %w", err)
		}
		counts[e] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read counts: %w", err)
	}
	for _, e := range api.Entities {
		if _, ok := counts[e]; !ok {
			return nil, fmt.Errorf("read counts: %s is not counted (its migration must add it to entity_count)", e)
		}
	}
	return counts, nil
}

// State returns the replica's synced entities in canonical form, to compare with the
// server's (api.State): after a complete sync they are equal.
func State(ctx context.Context, db *sql.DB) (api.State, error) {
	st := api.State{}
	for _, e := range api.Entities {
		if err := addRows(ctx, db, st, e); err != nil {
			return nil, err
		}
	}
	return st, nil
}

func addRows(ctx context.Context, db *sql.DB, st api.State, entity string) error {
	rows, err := db.QueryContext(ctx, `SELECT id, data FROM `+entity)
	if err != nil {
		return fmt.Errorf("read %s: %w", entity, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, data string
		if err := rows.Scan(&id, &data); err != nil {
			return fmt.Errorf("read %s: %w", entity, err)
		}
		if err := st.Add(entity, id, []byte(data)); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", entity, err)
	}
	return nil
}
