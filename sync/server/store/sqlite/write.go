package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// Write is the single path by which entities change: each write updates the entity,
// takes the organisation's next sequence number and replaces the entity's change-log
// row, all in one transaction. Its statements stay prepared (the driver's cache), so a
// bulk write of tens of thousands of entities stays fast.
func (s *Store) Write(ctx context.Context, orgID string, ws []store.EntityWrite) error {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("write: begin: %w", err)
	}
	defer s.endWrite(tx)
	w := &writer{tx: tx}
	for _, e := range ws {
		if err := w.write(ctx, orgID, e); err != nil {
			return fmt.Errorf("write %s %s: %w", e.Entity, e.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("write: commit: %w", err)
	}
	return nil
}

// writer runs the statements of Write in one transaction. It does not prepare them
// itself: the driver's statement cache (Open) keeps them prepared on each connection
// across transactions, where preparing all eight at each transaction cost a push more
// than running the few it needs.
type writer struct {
	tx *sql.Tx
}

const (
	sqlPrev   = `SELECT revision FROM entities WHERE org_id = ? AND entity = ? AND id = ?`
	sqlBump   = `UPDATE org_seq SET last_seq = last_seq + 1 WHERE org_id = ? RETURNING last_seq`
	sqlUpsert = `INSERT INTO entities (org_id, entity, id, parent_id, data, visible, revision)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (org_id, entity, id) DO UPDATE SET parent_id = excluded.parent_id,
				data = excluded.data, visible = excluded.visible, revision = excluded.revision`
	sqlDelete     = `DELETE FROM entities WHERE org_id = ? AND entity = ? AND id = ?`
	sqlDropChange = `DELETE FROM changes WHERE org_id = ? AND entity = ? AND id = ?`
	sqlAddChange  = `INSERT INTO changes (org_id, seq, entity, id, op, data) VALUES (?, ?, ?, ?, ?, ?)`
	sqlDropFiles  = `DELETE FROM file_refs WHERE org_id = ? AND entity = ? AND entity_id = ?`
	sqlAddFile    = `INSERT OR IGNORE INTO file_refs (org_id, entity, entity_id, sha256, name, size, media_type)
			VALUES (?, ?, ?, ?, ?, ?, ?)`
)

func (w *writer) write(ctx context.Context, org string, e store.EntityWrite) error {
	var rev int64
	err := w.tx.QueryRowContext(ctx, sqlPrev, org, e.Entity, e.ID).Scan(&rev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	rev++
	if _, err := w.tx.ExecContext(ctx, sqlDropFiles, org, e.Entity, e.ID); err != nil {
		return err
	}
	res, err := w.tx.ExecContext(ctx, sqlDropChange, org, e.Entity, e.ID)
	if err != nil {
		return err
	}
	hadChange, err := res.RowsAffected()
	if err != nil {
		return err
	}

	if e.Delete {
		if _, err := w.tx.ExecContext(ctx, sqlDelete, org, e.Entity, e.ID); err != nil {
			return err
		}
		// A client that never saw the entity needs no tombstone.
		if hadChange > 0 {
			return w.change(ctx, org, e, api.OpDelete, nil)
		}
		return nil
	}

	if e.Encode == nil {
		return errors.New("no payload")
	}
	data, err := e.Encode(rev)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	if _, err := w.tx.ExecContext(ctx, sqlUpsert, org, e.Entity, e.ID, e.Parent, string(data), e.Visible, rev); err != nil {
		return err
	}
	if !e.Visible {
		// Hidden again (or never shown): clients that had it must drop it.
		if hadChange > 0 {
			return w.change(ctx, org, e, api.OpDelete, nil)
		}
		return nil
	}
	for _, f := range e.Files {
		if _, err := w.tx.ExecContext(ctx, sqlAddFile, org, e.Entity, e.ID, f.SHA256, f.Name, f.Size, f.MediaType); err != nil {
			return err
		}
	}
	return w.change(ctx, org, e, api.OpUpsert, data)
}

func (w *writer) change(ctx context.Context, org string, e store.EntityWrite, op string, data []byte) error {
	var seq int64
	if err := w.tx.QueryRowContext(ctx, sqlBump, org).Scan(&seq); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("unknown organisation %q", org)
		}
		return err
	}
	var d any
	if data != nil {
		d = string(data)
	}
	_, err := w.tx.ExecContext(ctx, sqlAddChange, org, seq, e.Entity, e.ID, op, d)
	return err
}
