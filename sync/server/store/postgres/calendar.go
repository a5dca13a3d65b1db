package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
	"github.com/jackc/pgx/v5"
)

const feedColumns = `username, hash, lang, created_at, etag, changed_at`

func scanFeed(row pgx.Row) (store.CalendarFeedRecord, error) {
	var f store.CalendarFeedRecord
	var created, changed int64
	err := row.Scan(&f.Username, &f.Hash, &f.Lang, &created, &f.ETag, &changed)
	if errors.Is(err, pgx.ErrNoRows) {
		return f, store.ErrNotFound
	}
	f.CreatedAt, f.ChangedAt = time.Unix(0, created).UTC(), time.Unix(0, changed).UTC()
	return f, err
}

func (s *Store) PutCalendarFeed(ctx context.Context, f store.CalendarFeedRecord) error {
	if !storable(f.Username, f.Hash, f.Lang) {
		return store.ErrNotFound
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM users WHERE username = $1`, f.Username).Scan(&one); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return store.ErrNotFound
			}
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO calendar_feeds (`+feedColumns+`) VALUES ($1, $2, $3, $4, '', $4)
			ON CONFLICT (username) DO UPDATE SET hash = excluded.hash, lang = excluded.lang,
				created_at = excluded.created_at, etag = '', changed_at = excluded.changed_at`,
			f.Username, f.Hash, f.Lang, f.CreatedAt.UnixNano())
		return err
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("put calendar feed: %w", err)
	}
	return err
}

func (s *Store) CalendarFeed(ctx context.Context, hash string) (store.CalendarFeedRecord, error) {
	if !storable(hash) {
		return store.CalendarFeedRecord{}, store.ErrNotFound
	}
	f, err := scanFeed(s.pool.QueryRow(ctx, `SELECT `+feedColumns+` FROM calendar_feeds WHERE hash = $1`, hash))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		err = fmt.Errorf("calendar feed: %w", err)
	}
	return f, err
}

func (s *Store) UserCalendarFeed(ctx context.Context, username string) (store.CalendarFeedRecord, error) {
	if !storable(username) {
		return store.CalendarFeedRecord{}, store.ErrNotFound
	}
	f, err := scanFeed(s.pool.QueryRow(ctx, `SELECT `+feedColumns+` FROM calendar_feeds WHERE username = $1`, username))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		err = fmt.Errorf("user calendar feed: %w", err)
	}
	return f, err
}

func (s *Store) DeleteCalendarFeed(ctx context.Context, username string) error {
	if !storable(username) {
		return nil
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM calendar_feeds WHERE username = $1`, username); err != nil {
		return fmt.Errorf("delete calendar feed: %w", err)
	}
	return nil
}

func (s *Store) StampCalendarFeed(ctx context.Context, hash, etag string, at time.Time) (store.CalendarFeedRecord, error) {
	if !storable(hash, etag) {
		return store.CalendarFeedRecord{}, store.ErrNotFound
	}
	var f store.CalendarFeedRecord
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// The update locks the row until the commit: a node stamping the same content
		// at once waits, then finds the etag stored and keeps the first one's time.
		if _, err := tx.Exec(ctx, `UPDATE calendar_feeds SET etag = $2, changed_at = $3 WHERE hash = $1 AND etag <> $2`,
			hash, etag, at.UnixNano()); err != nil {
			return err
		}
		var err error
		f, err = scanFeed(tx.QueryRow(ctx, `SELECT `+feedColumns+` FROM calendar_feeds WHERE hash = $1`, hash))
		return err
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return f, fmt.Errorf("stamp calendar feed: %w", err)
	}
	return f, err
}
