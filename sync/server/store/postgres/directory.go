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

// lockDirectory takes the directory counter's row lock and returns the counter. As for
// an organisation's change log (inOrgTx), writers take turns on it, so the transaction
// that takes seq n commits before the one that takes n+1 can read the counter: a
// reader paging by seq never skips a change.
func lockDirectory(ctx context.Context, tx pgx.Tx) (int64, error) {
	var seq int64
	err := tx.QueryRow(ctx, `SELECT last_seq FROM directory_seq WHERE id = 1 FOR UPDATE`).Scan(&seq)
	return seq, err
}

func (s *Store) PutOperators(ctx context.Context, ops []api.Operator) error {
	for _, op := range ops {
		if !storable(op.FLOID, op.Name, op.Country) {
			return fmt.Errorf("put operators: %q: text PostgreSQL cannot hold", op.FLOID)
		}
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		seq, err := lockDirectory(ctx, tx)
		if err != nil {
			return err
		}
		b := &pgx.Batch{}
		for _, op := range ops {
			seq++
			op.Seq = seq
			data, err := json.Marshal(op)
			if err != nil {
				return err
			}
			b.Queue(`INSERT INTO operators (flo_id, seq, data) VALUES ($1, $2, $3)
				ON CONFLICT (flo_id) DO UPDATE SET seq = excluded.seq, data = excluded.data`, op.FLOID, seq, string(data))
		}
		b.Queue(`UPDATE directory_seq SET last_seq = $1 WHERE id = 1`, seq)
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("put operators: %w", err)
	}
	return nil
}

func (s *Store) Operator(ctx context.Context, floID string) (api.Operator, error) {
	if !storable(floID) {
		return api.Operator{}, store.ErrNotFound
	}
	return readOperator(s.pool.QueryRow(ctx, `SELECT data FROM operators WHERE flo_id = $1`, floID))
}

func readOperator(row pgx.Row) (api.Operator, error) {
	var data string
	var op api.Operator
	if err := row.Scan(&data); errors.Is(err, pgx.ErrNoRows) {
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
	rows, _ := s.pool.Query(ctx, `SELECT data FROM operators WHERE seq > $1 ORDER BY seq LIMIT $2`, after, limit)
	out, err := collect(rows, func(r pgx.CollectableRow) (api.Operator, error) {
		var data string
		var op api.Operator
		if err := r.Scan(&data); err != nil {
			return op, err
		}
		return op, json.Unmarshal([]byte(data), &op)
	})
	if err != nil {
		return nil, fmt.Errorf("directory changes: %w", err)
	}
	return out, nil
}

func (s *Store) SetOperatorStatus(ctx context.Context, floID, status string, at time.Time) (api.Operator, error) {
	if !storable(floID, status) {
		return api.Operator{}, store.ErrNotFound
	}
	var op api.Operator
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		seq, err := lockDirectory(ctx, tx)
		if err != nil {
			return err
		}
		op, err = readOperator(tx.QueryRow(ctx, `SELECT data FROM operators WHERE flo_id = $1`, floID))
		if err != nil || op.Status == status {
			return err
		}
		seq++
		op.Status, op.StatusChangedAt, op.Seq = status, at.UTC(), seq
		data, err := json.Marshal(op)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE operators SET seq = $1, data = $2 WHERE flo_id = $3`, seq, string(data), floID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE directory_seq SET last_seq = $1 WHERE id = 1`, seq)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return op, err
	}
	if err != nil {
		return op, fmt.Errorf("set operator status: %w", err)
	}
	return op, nil
}

func (s *Store) DirectorySeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.pool.QueryRow(ctx, `SELECT last_seq FROM directory_seq WHERE id = 1`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("directory seq: %w", err)
	}
	return seq, nil
}
