package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

func (s *Store) AddLoginFailure(ctx context.Context, keys []string, at, forget time.Time) error {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("add login failure: %w", err)
	}
	defer s.endWrite(tx)
	for _, q := range []string{`DELETE FROM login_failures WHERE at < ?`, `DELETE FROM login_slots WHERE next < ?`} {
		if _, err := tx.ExecContext(ctx, q, forget.UnixNano()); err != nil {
			return fmt.Errorf("add login failure: %w", err)
		}
	}
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (key, at) VALUES (?, ?)`, k, at.UnixNano()); err != nil {
			return fmt.Errorf("add login failure: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add login failure: %w", err)
	}
	return nil
}

func (s *Store) NthLoginFailure(ctx context.Context, key string, since time.Time, n int) (time.Time, bool, error) {
	if n < 1 {
		return time.Time{}, false, fmt.Errorf("nth login failure: n = %d, want 1 or more", n)
	}
	var at int64
	err := s.db.QueryRowContext(ctx, `SELECT at FROM login_failures WHERE key = ? AND at > ?
		ORDER BY at DESC LIMIT 1 OFFSET ?`, key, since.UnixNano(), n-1).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("nth login failure: %w", err)
	}
	return time.Unix(0, at).UTC(), true, nil
}

func (s *Store) TakeLoginSlot(ctx context.Context, key string, now time.Time, delay, maxWait time.Duration) (time.Time, bool, error) {
	tx, err := s.beginWrite(ctx) // immediate (_txlock): the read and the move are one
	if err != nil {
		return time.Time{}, false, fmt.Errorf("take login slot: %w", err)
	}
	defer s.endWrite(tx)
	var next int64
	err = tx.QueryRowContext(ctx, `SELECT next FROM login_slots WHERE key = ?`, key).Scan(&next)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, fmt.Errorf("take login slot: %w", err)
	}
	slot := max(next, now.UnixNano())
	if time.Duration(slot-now.UnixNano()) > maxWait {
		return time.Unix(0, slot).UTC(), false, nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO login_slots (key, next) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET next = excluded.next`, key, slot+int64(delay)); err != nil {
		return time.Time{}, false, fmt.Errorf("take login slot: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return time.Time{}, false, fmt.Errorf("take login slot: %w", err)
	}
	return time.Unix(0, slot).UTC(), true, nil
}
