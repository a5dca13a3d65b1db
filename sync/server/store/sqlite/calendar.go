package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

const feedColumns = `username, hash, lang, created_at, etag, changed_at`

func scanFeed(row interface{ Scan(...any) error }) (store.CalendarFeedRecord, error) {
	var f store.CalendarFeedRecord
	var created, changed int64
	err := row.Scan(&f.Username, &f.Hash, &f.Lang, &created, &f.ETag, &changed)
	if errors.Is(err, sql.ErrNoRows) {
		return f, store.ErrNotFound
	}
	f.CreatedAt, f.ChangedAt = time.Unix(0, created).UTC(), time.Unix(0, changed).UTC()
	return f, err
}

func (s *Store) PutCalendarFeed(ctx context.Context, f store.CalendarFeedRecord) error {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("put calendar feed: %w", err)
	}
	defer s.endWrite(tx)
	var one int
	if err := tx.QueryRowContext(ctx, `SELECT 1 FROM users WHERE username = ?`, f.Username).Scan(&one); errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	} else if err != nil {
		return fmt.Errorf("put calendar feed: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_feeds (`+feedColumns+`) VALUES (?, ?, ?, ?, '', ?)
		ON CONFLICT (username) DO UPDATE SET hash = excluded.hash, lang = excluded.lang,
			created_at = excluded.created_at, etag = '', changed_at = excluded.changed_at`,
		f.Username, f.Hash, f.Lang, f.CreatedAt.UnixNano(), f.CreatedAt.UnixNano()); err != nil {
		return fmt.Errorf("put calendar feed: %w", err)
	}
	return tx.Commit()
}

func (s *Store) CalendarFeed(ctx context.Context, hash string) (store.CalendarFeedRecord, error) {
	f, err := scanFeed(s.db.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM calendar_feeds WHERE hash = ?`, hash))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		err = fmt.Errorf("calendar feed: %w", err)
	}
	return f, err
}

func (s *Store) UserCalendarFeed(ctx context.Context, username string) (store.CalendarFeedRecord, error) {
	f, err := scanFeed(s.db.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM calendar_feeds WHERE username = ?`, username))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		err = fmt.Errorf("user calendar feed: %w", err)
	}
	return f, err
}

func (s *Store) DeleteCalendarFeed(ctx context.Context, username string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM calendar_feeds WHERE username = ?`, username); err != nil {
		return fmt.Errorf("delete calendar feed: %w", err)
	}
	return nil
}

func (s *Store) StampCalendarFeed(ctx context.Context, hash, etag string, at time.Time) (store.CalendarFeedRecord, error) {
	tx, err := s.beginWrite(ctx) // immediate (_txlock): the update and the read are one
	if err != nil {
		return store.CalendarFeedRecord{}, fmt.Errorf("stamp calendar feed: %w", err)
	}
	defer s.endWrite(tx)
	if _, err := tx.ExecContext(ctx, `UPDATE calendar_feeds SET etag = ?, changed_at = ? WHERE hash = ? AND etag <> ?`,
		etag, at.UnixNano(), hash, etag); err != nil {
		return store.CalendarFeedRecord{}, fmt.Errorf("stamp calendar feed: %w", err)
	}
	f, err := scanFeed(tx.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM calendar_feeds WHERE hash = ?`, hash))
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return f, err
		}
		return f, fmt.Errorf("stamp calendar feed: %w", err)
	}
	return f, tx.Commit()
}
