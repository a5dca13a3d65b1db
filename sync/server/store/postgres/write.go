package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// lockOrg takes the organisation's row lock for the rest of the transaction and
// reports whether the organisation exists. Every Write and Update takes it first, so
// the writes of one organisation run one at a time, each seeing all that committed
// before it (READ COMMITTED: every statement after the lock reads a fresh snapshot).
//
// That is what makes the change-log cursor safe. A change's seq is the organisation's
// counter (orgs.last_seq) bumped inside the locked transaction, so the transaction
// holding seq n commits before the one that takes n+1 can even read the counter:
// PostgreSQL makes a transaction visible before it releases its locks. Commit order is
// seq order within an organisation, hence a reader's snapshot holding change n holds
// every change below n, and a reader paging by seq never skips one. (A SEQUENCE would
// not do: its values are handed out at nextval, and transactions commit in any order.)
//
// FOR NO KEY UPDATE, not FOR UPDATE: writers queue on each other, but rows elsewhere
// that refer to the organisation (users, uploads) are inserted without waiting.
func lockOrg(ctx context.Context, tx pgx.Tx, orgID string) (bool, error) {
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM orgs WHERE id = $1 FOR NO KEY UPDATE`, orgID).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("lock organisation: %w", err)
	}
	return true, nil
}

// Write is one locked transaction of the organisation's writes (see lockOrg).
func (s *Store) Write(ctx context.Context, orgID string, ws []store.EntityWrite) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		ok, err := lockOrg(ctx, tx, orgID)
		if err != nil {
			return fmt.Errorf("write: %w", err)
		}
		if !ok {
			return fmt.Errorf("write: unknown organisation %q", orgID)
		}
		for _, e := range ws {
			if err := write(ctx, tx, orgID, e); err != nil {
				return fmt.Errorf("write %s %s: %w", e.Entity, e.ID, err)
			}
		}
		return nil
	})
}

// Update runs fn in one locked transaction of the organisation (see lockOrg). Of an
// unknown organisation fn still runs, as on SQLite: it reads nothing and any write
// fails.
func (s *Store) Update(ctx context.Context, orgID string, fn func(tx store.Tx) error) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := lockOrg(ctx, tx, orgID); err != nil {
			return fmt.Errorf("update: %w", err)
		}
		return fn(&orgTx{ctx: ctx, tx: tx, org: orgID})
	})
}

// write is the single path by which an entity changes: it updates the entity, takes
// the organisation's next seq and replaces the entity's change-log row. Two round
// trips: one reads the revision (Encode needs it) while dropping the old file
// references and change row, one batch writes the rest.
func write(ctx context.Context, tx pgx.Tx, org string, e store.EntityWrite) error {
	if e.ID == "" {
		return errors.New("empty id")
	}
	var rev int64
	var hadChange bool
	err := tx.QueryRow(ctx, `WITH
		dropped_files AS (DELETE FROM file_refs WHERE org_id = $1 AND entity = $2 AND entity_id = $3),
		dropped_change AS (DELETE FROM changes WHERE org_id = $1 AND entity = $2 AND id = $3 RETURNING 1)
		SELECT COALESCE((SELECT revision FROM entities WHERE org_id = $1 AND entity = $2 AND id = $3), 0),
			EXISTS (SELECT 1 FROM dropped_change)`, org, e.Entity, e.ID).Scan(&rev, &hadChange)
	if err != nil {
		return err
	}
	rev++

	b := &pgx.Batch{}
	var op string
	var data []byte
	switch {
	case e.Delete:
		b.Queue(`DELETE FROM entities WHERE org_id = $1 AND entity = $2 AND id = $3`, org, e.Entity, e.ID)
		op = api.OpDelete // a client that never saw the entity needs no tombstone
	case e.Encode == nil:
		return errors.New("no payload")
	default:
		if data, err = e.Encode(rev); err != nil {
			return fmt.Errorf("encode: %w", err)
		}
		b.Queue(`INSERT INTO entities (org_id, entity, id, parent_id, data, visible, revision)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (org_id, entity, id) DO UPDATE SET parent_id = excluded.parent_id,
				data = excluded.data, visible = excluded.visible, revision = excluded.revision`,
			org, e.Entity, e.ID, e.Parent, string(data), e.Visible, rev)
		if e.Visible {
			op = api.OpUpsert
			for _, f := range e.Files {
				b.Queue(`INSERT INTO file_refs (org_id, entity, entity_id, sha256, name, size, media_type)
					VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
					org, e.Entity, e.ID, f.SHA256, f.Name, f.Size, f.MediaType)
			}
		} else {
			op = api.OpDelete // hidden again (or never shown): clients that had it drop it
		}
	}
	changed := op == api.OpUpsert || hadChange
	if changed {
		var d *string
		if op == api.OpUpsert {
			s := string(data)
			d = &s
		}
		b.Queue(`WITH seq AS (UPDATE orgs SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq)
			INSERT INTO changes (org_id, seq, entity, id, op, data)
			SELECT $1, last_seq, $2, $3, $4, $5 FROM seq`, org, e.Entity, e.ID, op, d)
	}
	res := tx.SendBatch(ctx, b)
	defer res.Close()
	for i := range b.Len() {
		tag, err := res.Exec()
		if err != nil {
			return err
		}
		if changed && i == b.Len()-1 && tag.RowsAffected() == 0 {
			return fmt.Errorf("unknown organisation %q", org)
		}
	}
	return res.Close()
}

// orgTx is store.Tx on a locked transaction of one organisation.
type orgTx struct {
	ctx context.Context
	tx  pgx.Tx
	org string
}

func (t *orgTx) Entity(kind, id string) (store.EntityRecord, error) {
	return entity(t.ctx, t.tx, t.org, kind, id)
}

func (t *orgTx) Children(kind, parentID string) ([]store.EntityRecord, error) {
	return children(t.ctx, t.tx, t.org, kind, parentID)
}

func (t *orgTx) Write(ws ...store.EntityWrite) error {
	for _, e := range ws {
		if err := write(t.ctx, t.tx, t.org, e); err != nil {
			return fmt.Errorf("write %s %s: %w", e.Entity, e.ID, err)
		}
	}
	return nil
}

func (t *orgTx) LastPushSeq(clientID string) (int64, error) {
	var seq int64
	err := t.tx.QueryRow(t.ctx, `SELECT last_seq FROM push_clients WHERE org_id = $1 AND client_id = $2`,
		t.org, clientID).Scan(&seq)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read last push seq: %w", err)
	}
	return seq, nil
}

func (t *orgTx) PushResult(clientID string, seq int64) (json.RawMessage, error) {
	var res string
	err := t.tx.QueryRow(t.ctx, `SELECT result FROM push_results WHERE org_id = $1 AND client_id = $2 AND seq = $3`,
		t.org, clientID, seq).Scan(&res)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read push result: %w", err)
	}
	return json.RawMessage(res), nil
}

func (t *orgTx) RecordPush(clientID string, seq int64, result json.RawMessage) error {
	if _, err := t.tx.Exec(t.ctx, `INSERT INTO push_clients (org_id, client_id, last_seq) VALUES ($1, $2, $3)
		ON CONFLICT (org_id, client_id) DO UPDATE SET last_seq = excluded.last_seq`, t.org, clientID, seq); err != nil {
		return fmt.Errorf("record push: %w", err)
	}
	if _, err := t.tx.Exec(t.ctx, `INSERT INTO push_results (org_id, client_id, seq, result) VALUES ($1, $2, $3, $4)`,
		t.org, clientID, seq, string(result)); err != nil {
		return fmt.Errorf("record push: %w", err)
	}
	return nil
}

func (t *orgTx) AddEvent(ev store.Event) error {
	_, err := t.tx.Exec(t.ctx, `INSERT INTO events (org_id, nc_id, at, username, name, role, action, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, t.org, ev.NCID, ev.At.UnixNano(), ev.Username, ev.Name, string(ev.Role), ev.Action, ev.Detail)
	if err != nil {
		return fmt.Errorf("add event: %w", err)
	}
	return nil
}

func (t *orgTx) OrgBlob(sum string) (api.FileRef, error) { return orgBlob(t.ctx, t.tx, t.org, sum) }

func (t *orgTx) UsedBytes() (int64, error) { return usedBytes(t.ctx, t.tx, t.org) }

func (t *orgTx) AddOrgBlob(ref api.FileRef, at time.Time) (bool, error) {
	tag, err := t.tx.Exec(t.ctx, `INSERT INTO org_blobs (org_id, sha256, name, size, media_type, added_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id, sha256) DO NOTHING`,
		t.org, ref.SHA256, ref.Name, ref.Size, ref.MediaType, at.UnixNano())
	if err != nil {
		return false, fmt.Errorf("add org blob: %w", err)
	}
	return tag.RowsAffected() > 0, nil
}
