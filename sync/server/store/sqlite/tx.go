package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// Update runs fn in one IMMEDIATE transaction (the write lock is taken at BEGIN), so
// what fn reads cannot change before it commits.
func (s *Store) Update(ctx context.Context, orgID string, fn func(tx store.Tx) error) error {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("update: begin: %w", err)
	}
	defer s.endWrite(tx)
	w := &writer{tx: tx}
	if err := fn(&orgTx{ctx: ctx, tx: tx, w: w, org: orgID}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("update: commit: %w", err)
	}
	return nil
}

type orgTx struct {
	ctx context.Context
	tx  *sql.Tx
	w   *writer
	org string
}

func (t *orgTx) Entity(entity, id string) (store.EntityRecord, error) {
	var r store.EntityRecord
	var data string
	err := t.tx.QueryRowContext(t.ctx, `SELECT data, visible, revision FROM entities
		WHERE org_id = ? AND entity = ? AND id = ?`, t.org, entity, id).Scan(&data, &r.Visible, &r.Revision)
	if errors.Is(err, sql.ErrNoRows) {
		return r, store.ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("read %s: %w", entity, err)
	}
	r.Data = json.RawMessage(data)
	return r, nil
}

func (t *orgTx) Write(ws ...store.EntityWrite) error {
	for _, e := range ws {
		if e.ID == "" {
			return fmt.Errorf("write %s: empty id", e.Entity)
		}
		if err := t.w.write(t.ctx, t.org, e); err != nil {
			return fmt.Errorf("write %s %s: %w", e.Entity, e.ID, err)
		}
	}
	return nil
}

func (t *orgTx) LastPushSeq(clientID string) (int64, error) {
	var seq int64
	err := t.tx.QueryRowContext(t.ctx, `SELECT last_seq FROM push_clients WHERE org_id = ? AND client_id = ?`,
		t.org, clientID).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read last push seq: %w", err)
	}
	return seq, nil
}

func (t *orgTx) PushResult(clientID string, seq int64) (json.RawMessage, error) {
	var res string
	err := t.tx.QueryRowContext(t.ctx, `SELECT result FROM push_results WHERE org_id = ? AND client_id = ? AND seq = ?`,
		t.org, clientID, seq).Scan(&res)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read push result: %w", err)
	}
	return json.RawMessage(res), nil
}

func (t *orgTx) RecordPush(clientID string, seq int64, result json.RawMessage) error {
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO push_clients (org_id, client_id, last_seq) VALUES (?, ?, ?)
		ON CONFLICT (org_id, client_id) DO UPDATE SET last_seq = excluded.last_seq`, t.org, clientID, seq); err != nil {
		return fmt.Errorf("record push: %w", err)
	}
	if _, err := t.tx.ExecContext(t.ctx, `INSERT INTO push_results (org_id, client_id, seq, result) VALUES (?, ?, ?, ?)`,
		t.org, clientID, seq, string(result)); err != nil {
		return fmt.Errorf("record push: %w", err)
	}
	return nil
}

func (t *orgTx) AddEvent(ev store.Event) error {
	_, err := t.tx.ExecContext(t.ctx, `INSERT INTO events (org_id, nc_id, at, username, name, role, action, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, t.org, ev.NCID, ev.At.UnixNano(), ev.Username, ev.Name, string(ev.Role), ev.Action, ev.Detail)
	if err != nil {
		return fmt.Errorf("add event: %w", err)
	}
	return nil
}

func (s *Store) Orgs(ctx context.Context) ([]store.OrgRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name FROM orgs ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list orgs: %w", err)
	}
	defer rows.Close()
	var out []store.OrgRecord
	for rows.Next() {
		var o store.OrgRecord
		if err := rows.Scan(&o.ID, &o.Name); err != nil {
			return nil, fmt.Errorf("list orgs: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func (s *Store) All(ctx context.Context, orgID, entity string) ([]store.EntityRecord, error) {
	return entityRecords(ctx, s.db, entity, `SELECT data, visible, revision FROM entities
		WHERE org_id = ? AND entity = ? ORDER BY id`, orgID, entity)
}

func (s *Store) Events(ctx context.Context, orgID, ncID string) ([]store.Event, error) {
	q := `SELECT id, org_id, nc_id, at, username, name, role, action, detail FROM events WHERE org_id = ?`
	args := []any{orgID}
	if ncID != "" {
		q += ` AND nc_id = ?`
		args = append(args, ncID)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	defer rows.Close()
	var out []store.Event
	for rows.Next() {
		var ev store.Event
		var at int64
		var role string
		if err := rows.Scan(&ev.ID, &ev.OrgID, &ev.NCID, &at, &ev.Username, &ev.Name, &role, &ev.Action, &ev.Detail); err != nil {
			return nil, fmt.Errorf("list events: %w", err)
		}
		ev.At, ev.Role = time.Unix(0, at).UTC(), api.Role(role)
		out = append(out, ev)
	}
	return out, rows.Err()
}

func (s *Store) PutConsoleSession(ctx context.Context, cs store.ConsoleSession) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO console_sessions (hash, username, csrf, expires_at) VALUES (?, ?, ?, ?)`,
		cs.Hash, cs.Username, cs.CSRF, cs.ExpiresAt.UnixNano())
	if err != nil {
		return fmt.Errorf("store console session: %w", err)
	}
	return nil
}

func (s *Store) ConsoleSession(ctx context.Context, hash string) (store.ConsoleSession, error) {
	cs := store.ConsoleSession{Hash: hash}
	var exp int64
	err := s.db.QueryRowContext(ctx, `SELECT username, csrf, expires_at FROM console_sessions WHERE hash = ?`, hash).
		Scan(&cs.Username, &cs.CSRF, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return cs, store.ErrNotFound
	}
	if err != nil {
		return cs, fmt.Errorf("read console session: %w", err)
	}
	cs.ExpiresAt = time.Unix(0, exp).UTC()
	return cs, nil
}

func (s *Store) DeleteConsoleSession(ctx context.Context, hash string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM console_sessions WHERE hash = ?`, hash)
	return err
}
