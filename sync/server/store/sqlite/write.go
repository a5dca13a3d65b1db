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
// row, all in one transaction. Statements are prepared once per call, so a bulk
// write of tens of thousands of entities stays fast.
func (s *Store) Write(ctx context.Context, orgID string, ws []store.EntityWrite) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("write: begin: %w", err)
	}
	defer tx.Rollback()
	w, err := prepareWriter(ctx, tx)
	if err != nil {
		return err
	}
	defer w.close()
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

type writer struct {
	prev, bump, upsert, del, dropChange, addChange, dropFiles, addFile *sql.Stmt
}

func prepareWriter(ctx context.Context, tx *sql.Tx) (*writer, error) {
	w := &writer{}
	for _, p := range []struct {
		dst **sql.Stmt
		sql string
	}{
		{&w.prev, `SELECT revision FROM entities WHERE org_id = ? AND entity = ? AND id = ?`},
		{&w.bump, `UPDATE org_seq SET last_seq = last_seq + 1 WHERE org_id = ? RETURNING last_seq`},
		{&w.upsert, `INSERT INTO entities (org_id, entity, id, parent_id, data, visible, revision)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (org_id, entity, id) DO UPDATE SET parent_id = excluded.parent_id,
				data = excluded.data, visible = excluded.visible, revision = excluded.revision`},
		{&w.del, `DELETE FROM entities WHERE org_id = ? AND entity = ? AND id = ?`},
		{&w.dropChange, `DELETE FROM changes WHERE org_id = ? AND entity = ? AND id = ?`},
		{&w.addChange, `INSERT INTO changes (org_id, seq, entity, id, op, data) VALUES (?, ?, ?, ?, ?, ?)`},
		{&w.dropFiles, `DELETE FROM file_refs WHERE org_id = ? AND entity = ? AND entity_id = ?`},
		{&w.addFile, `INSERT OR IGNORE INTO file_refs (org_id, entity, entity_id, sha256, name, size, media_type)
			VALUES (?, ?, ?, ?, ?, ?, ?)`},
	} {
		st, err := tx.PrepareContext(ctx, p.sql)
		if err != nil {
			w.close()
			return nil, fmt.Errorf("write: prepare: %w", err)
		}
		*p.dst = st
	}
	return w, nil
}

func (w *writer) close() {
	for _, st := range []*sql.Stmt{w.prev, w.bump, w.upsert, w.del, w.dropChange, w.addChange, w.dropFiles, w.addFile} {
		if st != nil {
			st.Close()
		}
	}
}

func (w *writer) write(ctx context.Context, org string, e store.EntityWrite) error {
	var rev int64
	err := w.prev.QueryRowContext(ctx, org, e.Entity, e.ID).Scan(&rev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	rev++
	if _, err := w.dropFiles.ExecContext(ctx, org, e.Entity, e.ID); err != nil {
		return err
	}
	res, err := w.dropChange.ExecContext(ctx, org, e.Entity, e.ID)
	if err != nil {
		return err
	}
	hadChange, err := res.RowsAffected()
	if err != nil {
		return err
	}

	if e.Delete {
		if _, err := w.del.ExecContext(ctx, org, e.Entity, e.ID); err != nil {
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
	if _, err := w.upsert.ExecContext(ctx, org, e.Entity, e.ID, e.Parent, string(data), e.Visible, rev); err != nil {
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
		if _, err := w.addFile.ExecContext(ctx, org, e.Entity, e.ID, f.SHA256, f.Name, f.Size, f.MediaType); err != nil {
			return err
		}
	}
	return w.change(ctx, org, e, api.OpUpsert, data)
}

func (w *writer) change(ctx context.Context, org string, e store.EntityWrite, op string, data []byte) error {
	var seq int64
	if err := w.bump.QueryRowContext(ctx, org).Scan(&seq); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("unknown organisation %q", org)
		}
		return err
	}
	var d any
	if data != nil {
		d = string(data)
	}
	_, err := w.addChange.ExecContext(ctx, org, seq, e.Entity, e.ID, op, d)
	return err
}
