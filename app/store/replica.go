package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

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
//
// A page holds up to 10,000 changes: each statement is prepared once per page, not per
// change, and the work per change is an index lookup or two, whatever the replica holds.
func (s *Store) ApplyPage(ctx context.Context, page api.ChangesPage, lastSync string) error {
	return s.db.noted(s.applyPage(ctx, page, lastSync))
}

func (s *Store) applyPage(ctx context.Context, page api.ChangesPage, lastSync string) error {
	conn, err := s.db.sql.Conn(ctx)
	if err != nil {
		return fmt.Errorf("apply page: %w", err)
	}
	defer conn.Close()
	// The batches' VALUES go through a temporary table: in memory, not a file in /var/tmp
	// (17,000 page writes for the large organisation's first sync).
	if _, err := conn.ExecContext(ctx, `PRAGMA temp_store = MEMORY`); err != nil {
		return fmt.Errorf("apply page: %w", err)
	}
	if page.More {
		// More pages follow at once (a first sync): their commits leave the checkpoint —
		// copying the WAL into the database file, with an fsync — to the last page's,
		// instead of copying the same pages once a page. The WAL is as durable either way.
		if _, err := conn.ExecContext(ctx, `PRAGMA wal_autocheckpoint = 0`); err != nil {
			return fmt.Errorf("apply page: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA wal_autocheckpoint = `+walAutoCheckpoint)
	}
	tx, err := conn.BeginTx(ctx, nil)
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
	w := &pageTx{tx: tx, news: caughtUp != "0", stamp: lastSync, stmts: map[string]*sql.Stmt{}}
	for _, c := range page.Changes {
		if err := w.apply(ctx, c); err != nil {
			return fmt.Errorf("apply %s %s: %w", c.Entity, c.ID, err)
		}
	}
	if err := w.flush(ctx); err != nil {
		return fmt.Errorf("apply page: %w", err)
	}
	if err := setMeta(ctx, tx, MetaCursor, page.Cursor); err != nil {
		return err
	}
	if !w.news {
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
	if len(page.Changes) > 0 {
		// After the commit, whatever it brought; an idle sync's empty page keeps the
		// decoded NCs (5,000 on a large organisation) for the next read.
		defer s.db.ncsChanged()
	}
	return tx.Commit()
}

// walAutoCheckpoint is SQLite's default: a checkpoint when the WAL passes 1,000 pages.
const walAutoCheckpoint = "1000"

// pageTx is the transaction of one page of changes, with its statements prepared once
// (they are closed with the transaction).
type pageTx struct {
	tx    *sql.Tx
	news  bool   // the replica caught up once: what the analyst did is news to announce
	stamp string // the sync's time, RFC 3339
	stmts map[string]*sql.Stmt
	batch upserts // written by flush: before a read of their table's rows, and at the end
}

// stmt returns the statement of query, prepared in the transaction at its first use.
func (w *pageTx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := w.stmts[query]; ok {
		return st, nil
	}
	st, err := w.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	w.stmts[query] = st
	return st, nil
}

// exec runs a statement of the page's, prepared once.
func (w *pageTx) exec(ctx context.Context, query string, args ...any) error {
	st, err := w.stmt(ctx, query)
	if err == nil {
		_, err = st.ExecContext(ctx, args...)
	}
	return err
}

// row reads one row of a statement of the page's into dest; sql.ErrNoRows when none.
func (w *pageTx) row(ctx context.Context, query string, args []any, dest ...any) error {
	st, err := w.stmt(ctx, query)
	if err != nil {
		return err
	}
	return st.QueryRowContext(ctx, args...).Scan(dest...)
}

func (w *pageTx) apply(ctx context.Context, c api.Change) error {
	if !slices.Contains(api.Entities, c.Entity) {
		return nil
	}
	switch c.Op {
	case api.OpUpsert:
		if !json.Valid(c.Data) {
			return errors.New("invalid data")
		}
		// observe reads the row as it stands: one waiting in the batch must be written.
		if w.batch.ids[c.ID] || w.batch.entity != c.Entity {
			if err := w.flush(ctx); err != nil {
				return err
			}
		}
		if err := w.observe(ctx, c); err != nil {
			return err
		}
		w.batch.add(c)
		if len(w.batch.args) == 2*batchRows {
			return w.flush(ctx)
		}
		return nil
	case api.OpDelete:
		if err := w.flush(ctx); err != nil {
			return err
		}
		// The table name comes from api.Entities, never from the wire as is.
		return w.exec(ctx, `DELETE FROM `+c.Entity+` WHERE id = ?`, c.ID)
	}
	return fmt.Errorf("unknown operation %q", c.Op)
}

// batchRows is how many upserts of one entity are written by one statement: a page's
// rows go to SQLite a hundred at a time, not one call (and its bindings) each.
const batchRows = 100

// upserts are the upserts of one entity waiting to be written, in the page's order.
type upserts struct {
	entity string
	ids    map[string]bool
	args   []any // id, data, id, data, …
}

func (b *upserts) add(c api.Change) {
	if b.ids == nil {
		b.ids = map[string]bool{}
	}
	b.entity = c.Entity
	b.ids[c.ID] = true
	b.args = append(b.args, c.ID, string(c.Data))
}

// flush writes the batch of upserts, if any.
func (w *pageTx) flush(ctx context.Context) error {
	b := &w.batch
	n := len(b.args) / 2
	if n == 0 {
		return nil
	}
	// The table name comes from api.Entities, never from the wire as is.
	query := `INSERT INTO ` + b.entity + `(id, data) VALUES (?, ?)` + strings.Repeat(`, (?, ?)`, n-1) +
		` ON CONFLICT(id) DO UPDATE SET data = excluded.data`
	if err := w.exec(ctx, query, b.args...); err != nil {
		return fmt.Errorf("write %d %s from %s: %w", n, b.entity, b.args[0], err)
	}
	clear(b.ids)
	b.args = b.args[:0]
	return nil
}

// Reset empties the replica's synced data and cursor (a different organisation logged
// in). Local settings such as the language stay.
func (s *Store) Reset(ctx context.Context) error {
	defer s.db.ncsChanged()
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		for _, e := range api.Entities {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+e); err != nil {
				return fmt.Errorf("reset %s: %w", e, err)
			}
		}
		// The trail starts again under a new client id: the new organisation's server
		// chain expects this replica's first entry, and the old one's keeps its own.
		for _, q := range []string{`DELETE FROM message_read`, `DELETE FROM trail`, `DELETE FROM trail_queue`,
			`UPDATE trail_sync SET acked = 0, code = '', refused = 0`,
			`DELETE FROM meta WHERE key IN ('` + MetaCursor + `', '` + MetaLastSync + `', '` + MetaCaughtUp + `', '` + MetaClientID + `')`} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("reset: %w", err)
			}
		}
		return nil
	})
}
