package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// gateStripes is the number of organisation gates of a store (inOrgTx): a collision
// only makes two organisations' writers take turns within one process.
const gateStripes = 1024

// inOrgTx runs fn in a transaction of the organisation that first takes the
// organisation's row lock, so the writes of one organisation run one at a time, each
// seeing all that committed before it (READ COMMITTED: every statement after the lock
// reads a fresh snapshot).
//
// That is what makes the change-log cursor safe. A change's seq comes from the
// organisation's counter (orgs.last_seq), read under the lock and stored back before
// the commit, so the transaction that takes seq n commits before the one that takes
// n+1 can even read the counter: PostgreSQL makes a transaction visible before it
// releases its locks. Commit order is seq order within an organisation, hence a
// reader's snapshot holding change n holds every change below n, and a reader paging
// by seq never skips one. (A SEQUENCE would not do: its values are handed out at
// nextval, and transactions commit in any order.)
//
// The counter is written once per transaction, not once per change: every UPDATE of a
// row leaves a version the same transaction must step over, so a bulk write of n
// entities would cost n² otherwise. FOR NO KEY UPDATE, not FOR UPDATE: writers queue
// on each other, but rows that refer to the organisation (users, uploads) are
// inserted without waiting.
//
// Before it takes a connection, a transaction passes its organisation's gate in this
// process (striped by a hash of the id): writers of one organisation queue there
// holding nothing, rather than on the row lock holding a connection each, where a
// burst of one organisation's pushes would take the whole pool from the others.
func (s *Store) inOrgTx(ctx context.Context, orgID string, fn func(t *orgTx) error) error {
	h := fnv.New32a()
	h.Write([]byte(orgID))
	gate := s.gates[h.Sum32()%gateStripes]
	select {
	case gate <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-gate }()
	return s.inTx(ctx, func(tx pgx.Tx) error {
		t := &orgTx{ctx: ctx, tx: tx, org: orgID}
		err := tx.QueryRow(ctx, `SELECT last_seq FROM orgs WHERE id = $1 FOR NO KEY UPDATE`, orgID).Scan(&t.seq)
		switch {
		case err == nil:
			t.known, t.stored = true, t.seq
		case !errors.Is(err, pgx.ErrNoRows):
			return fmt.Errorf("lock organisation: %w", err)
		}
		if err := fn(t); err != nil {
			return err
		}
		if t.seq != t.stored {
			if _, err := tx.Exec(ctx, `UPDATE orgs SET last_seq = $1 WHERE id = $2`, t.seq, orgID); err != nil {
				return fmt.Errorf("store change-log counter: %w", err)
			}
		}
		return nil
	})
}

// Write is one locked transaction of the organisation's writes (see inOrgTx).
func (s *Store) Write(ctx context.Context, orgID string, ws []store.EntityWrite) error {
	return s.inOrgTx(ctx, orgID, func(t *orgTx) error {
		if !t.known {
			return fmt.Errorf("write: unknown organisation %q", orgID)
		}
		return t.Write(ws...)
	})
}

// Update runs fn in one locked transaction of the organisation (see inOrgTx). Of an
// unknown organisation fn still runs, as on SQLite: it reads nothing and any write
// fails.
func (s *Store) Update(ctx context.Context, orgID string, fn func(tx store.Tx) error) error {
	return s.inOrgTx(ctx, orgID, func(t *orgTx) error { return fn(t) })
}

// orgTx is a locked transaction of one organisation (inOrgTx): store.Tx, and the
// path of every entity write.
type orgTx struct {
	ctx    context.Context
	tx     pgx.Tx
	org    string
	known  bool  // the organisation exists
	seq    int64 // the last seq taken
	stored int64 // the counter as stored
}

func (t *orgTx) Entity(kind, id string) (store.EntityRecord, error) {
	return entity(t.ctx, t.tx, t.org, kind, id)
}

func (t *orgTx) Children(kind, parentID string) ([]store.EntityRecord, error) {
	return children(t.ctx, t.tx, t.org, kind, parentID)
}

func (t *orgTx) LastPushSeq(clientID string) (int64, error) {
	var seq int64
	if !storable(clientID) {
		return 0, nil
	}
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
	if !storable(clientID) {
		return nil, store.ErrNotFound
	}
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

// AddEvent records the text a client sent as PostgreSQL can hold it (holdable): a
// push entry naming an NC by a NUL byte is still in the trail, rejected.
func (t *orgTx) AddEvent(ev store.Event) error {
	_, err := t.tx.Exec(t.ctx, `INSERT INTO events (org_id, nc_id, at, username, name, role, action, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, t.org, holdable(ev.NCID), ev.At.UnixNano(), holdable(ev.Username),
		holdable(ev.Name), string(ev.Role), holdable(ev.Action), holdable(ev.Detail))
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
