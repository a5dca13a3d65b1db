package store

import (
	"context"
	"database/sql"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// The wiring of NC assignments (the logic is app/team's): the entity shown, the outbox
// entry that carries a change.

// Assignments returns the NCs' assignments as last pulled or pushed.
func (p *Portal) Assignments(ctx context.Context) ([]api.Assignment, error) {
	return list[api.Assignment](ctx, p.db.sql, `SELECT data FROM assignment ORDER BY id`)
}

// QueueAssign writes a (nil: removed) assignment as the user will see it until the
// server answers, and its nc.assign outbox entry, in one transaction.
func (w *Work) QueueAssign(ctx context.Context, a *api.Assignment, ncID, assignee, due, now string) (int64, error) {
	var seq int64
	err := w.db.tx(ctx, func(tx *sql.Tx) error {
		if err := applyAssignment(ctx, tx, ncID, a); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO outbox(kind, nc_id, text, base_revision, created_at, due) VALUES (?, ?, ?, 0, ?, ?)`,
			api.KindNCAssign, ncID, assignee, now, due)
		if err != nil {
			return err
		}
		seq, err = res.LastInsertId()
		return err
	})
	return seq, err
}

func applyAssignment(ctx context.Context, tx *sql.Tx, ncID string, a *api.Assignment) error {
	if a == nil {
		_, err := tx.ExecContext(ctx, `DELETE FROM assignment WHERE id = ?`, ncID)
		return err
	}
	return upsertEntity(ctx, tx, api.EntityAssignment, ncID, a)
}
