package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

func (s *Store) AddLoginFailure(ctx context.Context, keys []string, at, forget time.Time) error {
	if !storable(keys...) {
		return fmt.Errorf("add login failure: a key that cannot be stored")
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		for _, q := range []string{`DELETE FROM login_failures WHERE at < $1`, `DELETE FROM login_slots WHERE next < $1`} {
			if _, err := tx.Exec(ctx, q, forget.UnixNano()); err != nil {
				return err
			}
		}
		for _, k := range keys {
			if _, err := tx.Exec(ctx, `INSERT INTO login_failures (key, at) VALUES ($1, $2)`, k, at.UnixNano()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("add login failure: %w", err)
	}
	return nil
}

func (s *Store) NthLoginFailure(ctx context.Context, key string, since time.Time, n int) (time.Time, bool, error) {
	if n < 1 {
		return time.Time{}, false, fmt.Errorf("nth login failure: n = %d, want 1 or more", n)
	}
	if !storable(key) {
		return time.Time{}, false, nil
	}
	var at int64
	err := s.pool.QueryRow(ctx, `SELECT at FROM login_failures WHERE key = $1 AND at > $2
		ORDER BY at DESC LIMIT 1 OFFSET $3`, key, since.UnixNano(), n-1).Scan(&at)
	if errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("nth login failure: %w", err)
	}
	return time.Unix(0, at).UTC(), true, nil
}

func (s *Store) TakeLoginSlot(ctx context.Context, key string, now time.Time, delay, maxWait time.Duration) (time.Time, bool, error) {
	if !storable(key) {
		return time.Time{}, false, fmt.Errorf("take login slot: a key that cannot be stored")
	}
	var slot int64
	taken := false
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// The key's row, made if missing, is locked until the commit: nodes taking a
		// slot of one user go one after the other.
		if _, err := tx.Exec(ctx, `INSERT INTO login_slots (key, next) VALUES ($1, 0) ON CONFLICT (key) DO NOTHING`, key); err != nil {
			return err
		}
		var next int64
		if err := tx.QueryRow(ctx, `SELECT next FROM login_slots WHERE key = $1 FOR UPDATE`, key).Scan(&next); err != nil {
			return err
		}
		slot = max(next, now.UnixNano())
		if time.Duration(slot-now.UnixNano()) > maxWait {
			return nil
		}
		taken = true
		_, err := tx.Exec(ctx, `UPDATE login_slots SET next = $2 WHERE key = $1`, key, slot+int64(delay))
		return err
	})
	if err != nil {
		return time.Time{}, false, fmt.Errorf("take login slot: %w", err)
	}
	return time.Unix(0, slot).UTC(), taken, nil
}
