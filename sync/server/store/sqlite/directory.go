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

// PutOperators writes in one immediate transaction: SQLite's one writer at a time makes
// seq order commit order.
func (s *Store) PutOperators(ctx context.Context, ops []api.Operator) error {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("put operators: %w", err)
	}
	defer s.endWrite(tx)
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT last_seq FROM directory_seq WHERE id = 1`).Scan(&seq); err != nil {
		return fmt.Errorf("put operators: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO operators (flo_id, seq, data) VALUES (?, ?, ?)
		ON CONFLICT (flo_id) DO UPDATE SET seq = excluded.seq, data = excluded.data`)
	if err != nil {
		return fmt.Errorf("put operators: %w", err)
	}
	defer stmt.Close()
	for _, op := range ops {
		seq++
		op.Seq = seq
		data, err := json.Marshal(op)
		if err != nil {
			return fmt.Errorf("put operators: %w", err)
		}
		if _, err := stmt.ExecContext(ctx, op.FLOID, seq, string(data)); err != nil {
			return fmt.Errorf("put operators: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE directory_seq SET last_seq = ? WHERE id = 1`, seq); err != nil {
		return fmt.Errorf("put operators: %w", err)
	}
	return tx.Commit()
}

func (s *Store) Operator(ctx context.Context, floID string) (api.Operator, error) {
	return operator(ctx, s.db.QueryRowContext(ctx, `SELECT data FROM operators WHERE flo_id = ?`, floID))
}

func operator(ctx context.Context, row *sql.Row) (api.Operator, error) {
	var data string
	var op api.Operator
	if err := row.Scan(&data); errors.Is(err, sql.ErrNoRows) {
		return op, store.ErrNotFound
	} else if err != nil {
		return op, fmt.Errorf("read operator: %w", err)
	}
	if err := json.Unmarshal([]byte(data), &op); err != nil {
		return op, fmt.Errorf("read operator: %w", err)
	}
	return op, nil
}

func (s *Store) DirectoryChanges(ctx context.Context, after int64, limit int) ([]api.Operator, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT data FROM operators WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("directory changes: %w", err)
	}
	defer rows.Close()
	var out []api.Operator
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("directory changes: %w", err)
		}
		var op api.Operator
		if err := json.Unmarshal([]byte(data), &op); err != nil {
			return nil, fmt.Errorf("directory changes: %w", err)
		}
		out = append(out, op)
	}
	return out, rows.Err()
}

func (s *Store) SetOperatorStatus(ctx context.Context, floID, status string, at time.Time) (api.Operator, error) {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return api.Operator{}, fmt.Errorf("set operator status: %w", err)
	}
	defer s.endWrite(tx)
	op, err := operator(ctx, tx.QueryRowContext(ctx, `SELECT data FROM operators WHERE flo_id = ?`, floID))
	if err != nil || op.Status == status {
		return op, err
	}
	var seq int64
	if err := tx.QueryRowContext(ctx, `UPDATE directory_seq SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq`).Scan(&seq); err != nil {
		return op, fmt.Errorf("set operator status: %w", err)
	}
	op.Status, op.StatusChangedAt, op.Seq = status, at.UTC(), seq
	data, err := json.Marshal(op)
	if err != nil {
		return op, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE operators SET seq = ?, data = ? WHERE flo_id = ?`, seq, string(data), floID); err != nil {
		return op, fmt.Errorf("set operator status: %w", err)
	}
	return op, tx.Commit()
}

func (s *Store) DirectorySeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.db.QueryRowContext(ctx, `SELECT last_seq FROM directory_seq WHERE id = 1`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("directory seq: %w", err)
	}
	return seq, nil
}
