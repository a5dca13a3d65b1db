package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Cursor returns the pull cursor: where the next pull starts ("" before the first).
func (s *Store) Cursor(ctx context.Context) (string, error) {
	return s.Meta(ctx, MetaCursor)
}

// ApplyPage writes a page of changes and its cursor in one transaction: after a crash
// the replica holds either the whole page and the new cursor, or neither. lastSync is
// written with them (RFC 3339). Unknown entities are skipped, so that an older app keeps
// syncing with a newer server.
func (s *Store) ApplyPage(ctx context.Context, page api.ChangesPage, lastSync string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("apply page: %w", err)
	}
	defer tx.Rollback()
	var cursor, caughtUp string
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT value FROM meta WHERE key = ?), ''),
		COALESCE((SELECT value FROM meta WHERE key = ?), '')`, MetaCursor, MetaCaughtUp).Scan(&cursor, &caughtUp); err != nil {
		return fmt.Errorf("apply page: %w", err)
	}
	// The first sync brings the past, not news, over as many pages as it takes: no
	// notices until the replica has caught up once. (A replica from before this key has
	// a cursor and no key: it caught up long ago.)
	if cursor == "" {
		caughtUp = "0"
	}
	news := caughtUp != "0"
	for _, c := range page.Changes {
		if !slices.Contains(api.Entities, c.Entity) {
			continue
		}
		switch c.Op {
		case api.OpUpsert:
			if !json.Valid(c.Data) {
				return fmt.Errorf("apply %s %s: invalid data", c.Entity, c.ID)
			}
			if err := observe(ctx, tx, c, news, lastSync); err != nil {
				return fmt.Errorf("apply %s %s: %w", c.Entity, c.ID, err)
			}
			// The table name comes from api.Entities, never from the wire as is.
			_, err = tx.ExecContext(ctx, `INSERT INTO `+c.Entity+`(id, data) VALUES (?, ?)
				ON CONFLICT(id) DO UPDATE SET data = excluded.data`, c.ID, string(c.Data))
		case api.OpDelete:
			_, err = tx.ExecContext(ctx, `DELETE FROM `+c.Entity+` WHERE id = ?`, c.ID)
		default:
			return fmt.Errorf("apply %s %s: unknown operation %q", c.Entity, c.ID, c.Op)
		}
		if err != nil {
			return fmt.Errorf("apply %s %s: %w", c.Entity, c.ID, err)
		}
	}
	if err := setMeta(ctx, tx, MetaCursor, page.Cursor); err != nil {
		return err
	}
	if !news {
		state := "0" // more pages of the past to come
		if !page.More {
			state = "1"
		}
		if err := setMeta(ctx, tx, MetaCaughtUp, state); err != nil {
			return err
		}
	}
	if err := setMeta(ctx, tx, MetaLastSync, lastSync); err != nil {
		return err
	}
	defer s.ncsChanged() // after the commit, whatever it brought
	return tx.Commit()
}

// Reset empties the replica's synced data and cursor (a different organisation logged
// in). Local settings such as the language stay.
func (s *Store) Reset(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, e := range api.Entities {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+e); err != nil {
			return fmt.Errorf("reset %s: %w", e, err)
		}
	}
	for _, q := range []string{`DELETE FROM message_read`, `DELETE FROM meta WHERE key IN ('` + MetaCursor + `', '` + MetaLastSync + `', '` + MetaCaughtUp + `')`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("reset: %w", err)
		}
	}
	defer s.ncsChanged()
	return tx.Commit()
}

// Counts returns the number of rows of each entity.
func (s *Store) Counts(ctx context.Context) (map[string]int, error) {
	counts := make(map[string]int, len(api.Entities))
	for _, e := range api.Entities {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+e).Scan(&n); err != nil {
			return nil, fmt.Errorf("count %s: %w", e, err)
		}
		counts[e] = n
	}
	return counts, nil
}
