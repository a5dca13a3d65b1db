package trail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Querier is what reads need: a *sql.DB or a *sql.Tx.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Seal turns every change the triggers queued in tx into the next entries of the chain,
// in the order they were made, and empties the queue. The replica calls it in every
// write transaction before it commits, so a change and its entry commit together, and a
// change of any kind (present or future) that goes through the outbox is covered.
func Seal(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, at, author, kind, nc_id, text, base_revision, evidence_id, file
		FROM trail_queue ORDER BY id`)
	if err != nil {
		return fmt.Errorf("read trail queue: %w", err)
	}
	type queued struct {
		id                                         int64
		at, author, kind, nc, text, evidence, file string
		base                                       int64
	}
	var qs []queued
	for rows.Next() {
		var q queued
		if err := rows.Scan(&q.id, &q.at, &q.author, &q.kind, &q.nc, &q.text, &q.base, &q.evidence, &q.file); err != nil {
			rows.Close()
			return fmt.Errorf("read trail queue: %w", err)
		}
		qs = append(qs, q)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(qs) == 0 {
		return err
	}
	seq, prev, err := head(ctx, tx)
	if err != nil {
		return err
	}
	for _, q := range qs {
		e := api.TrailEntry{
			Seq: seq + 1, At: parseTime(q.at), Author: q.author, Kind: q.kind, NCID: q.nc, Prev: prev,
			Digest: api.TrailDigest(q.kind, q.nc, q.text, strconv.FormatInt(q.base, 10), q.evidence, q.file),
		}
		e.Hash = api.TrailHash(e)
		if _, err := tx.ExecContext(ctx, `INSERT INTO trail(seq, at, author, kind, nc_id, digest, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			e.Seq, e.At.Format(api.TrailTimeLayout), e.Author, e.Kind, e.NCID, e.Digest, e.Prev, e.Hash); err != nil {
			return fmt.Errorf("append trail: %w", err)
		}
		seq, prev = e.Seq, e.Hash
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM trail_queue WHERE id <= ?`, qs[len(qs)-1].id); err != nil {
		return fmt.Errorf("empty trail queue: %w", err)
	}
	return nil
}

// parseTime reads the time a change was stamped with (RFC 3339, the device's clock),
// to the second; a stamp that is not one stands for now.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t = time.Now()
	}
	return t.UTC().Truncate(time.Second)
}

func head(ctx context.Context, q Querier) (int64, string, error) {
	var seq int64
	var hash string
	err := q.QueryRowContext(ctx, `SELECT seq, hash FROM trail ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, api.TrailGenesis, nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("read trail head: %w", err)
	}
	return seq, hash, nil
}

// Log is the replica's trail as the app and the sync engine use it.
type Log struct {
	db *sql.DB
}

// New returns the trail of the replica db (migrated already).
func New(db *sql.DB) *Log { return &Log{db: db} }

const columns = `seq, at, author, kind, nc_id, digest, prev, hash`

func scan(rows *sql.Rows) ([]api.TrailEntry, error) {
	defer rows.Close()
	var out []api.TrailEntry
	for rows.Next() {
		var e api.TrailEntry
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.Author, &e.Kind, &e.NCID, &e.Digest, &e.Prev, &e.Hash); err != nil {
			return nil, err
		}
		e.At, _ = time.Parse(time.RFC3339, at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Entries returns the entries with seq > after, by seq, at most limit.
func (l *Log) Entries(ctx context.Context, after int64, limit int) ([]api.TrailEntry, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT `+columns+` FROM trail WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read trail: %w", err)
	}
	return scan(rows)
}

// ForNC returns the entries of one NC, oldest first (ncID "" is the general thread).
func (l *Log) ForNC(ctx context.Context, ncID string) ([]api.TrailEntry, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT `+columns+` FROM trail WHERE nc_id = ? ORDER BY seq`, ncID)
	if err != nil {
		return nil, fmt.Errorf("read trail of %s: %w", ncID, err)
	}
	return scan(rows)
}

// Sync is where the trail stands with the server.
type Sync struct {
	Acked   int64  // the last seq the server holds
	Code    string // why the server refused the trail last time ("" when it did not)
	Refused int64  // the first entry it refused
}

// SyncState returns what the server last said of the trail.
func (l *Log) SyncState(ctx context.Context) (Sync, error) {
	var s Sync
	err := l.db.QueryRowContext(ctx, `SELECT acked, code, refused FROM trail_sync WHERE id = 1`).Scan(&s.Acked, &s.Code, &s.Refused)
	if err != nil {
		return s, fmt.Errorf("read trail state: %w", err)
	}
	return s, nil
}

// Pending returns the entries the server has not acknowledged, oldest first, at most
// max. Entries a write outside a transaction left queued are sealed first.
func (l *Log) Pending(ctx context.Context, max int) ([]api.TrailEntry, error) {
	if err := l.sealLeftovers(ctx); err != nil {
		return nil, err
	}
	s, err := l.SyncState(ctx)
	if err != nil {
		return nil, err
	}
	return l.Entries(ctx, s.Acked, max)
}

func (l *Log) sealLeftovers(ctx context.Context) error {
	var n int
	if err := l.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM trail_queue`).Scan(&n); err != nil || n == 0 {
		return err
	}
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := Seal(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// Acknowledged records the server's answer to a push's trail. Acked never goes back: a
// late answer to an earlier request changes nothing it should not.
func (l *Log) Acknowledged(ctx context.Context, ack api.TrailAck) error {
	_, err := l.db.ExecContext(ctx, `UPDATE trail_sync SET acked = MAX(acked, ?), code = ?, refused = ? WHERE id = 1`,
		ack.Last, ack.Code, ack.Seq)
	if err != nil {
		return fmt.Errorf("record trail answer: %w", err)
	}
	return nil
}
