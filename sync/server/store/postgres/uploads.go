package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// Unfinished uploads and per-organisation blob presence.

func (s *Store) CreateUpload(ctx context.Context, u store.UploadRecord) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO uploads (id, org_id, username, sha256, name, media_type, size, created_at, touched_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, u.ID, u.OrgID, u.Username, u.SHA256, u.Name, u.MediaType, u.Size,
		u.CreatedAt.UnixNano(), u.TouchedAt.UnixNano())
	if err != nil {
		return fmt.Errorf("create upload: %w", err)
	}
	return nil
}

const uploadColumns = `id, org_id, username, sha256, name, media_type, size, created_at, touched_at`

func scanUpload(row pgx.Row) (store.UploadRecord, error) {
	var u store.UploadRecord
	var created, touched int64
	err := row.Scan(&u.ID, &u.OrgID, &u.Username, &u.SHA256, &u.Name, &u.MediaType, &u.Size, &created, &touched)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, store.ErrNotFound
	}
	if err != nil {
		return u, fmt.Errorf("read upload: %w", err)
	}
	u.CreatedAt, u.TouchedAt = time.Unix(0, created).UTC(), time.Unix(0, touched).UTC()
	return u, nil
}

func (s *Store) Upload(ctx context.Context, id string) (store.UploadRecord, error) {
	if !storable(id) {
		return store.UploadRecord{}, store.ErrNotFound
	}
	return scanUpload(s.pool.QueryRow(ctx, `SELECT `+uploadColumns+` FROM uploads WHERE id = $1`, id))
}

func (s *Store) TouchUpload(ctx context.Context, id string, t time.Time) error {
	if !storable(id) {
		return nil
	}
	if _, err := s.pool.Exec(ctx, `UPDATE uploads SET touched_at = $1 WHERE id = $2`, t.UnixNano(), id); err != nil {
		return fmt.Errorf("touch upload: %w", err)
	}
	return nil
}

func (s *Store) DeleteUpload(ctx context.Context, id string) error {
	if !storable(id) {
		return nil
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM uploads WHERE id = $1`, id); err != nil {
		return fmt.Errorf("delete upload: %w", err)
	}
	return nil
}

func (s *Store) StaleUploads(ctx context.Context, before time.Time) ([]store.UploadRecord, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+uploadColumns+` FROM uploads WHERE touched_at < $1 ORDER BY touched_at`,
		before.UnixNano())
	out, err := collect(rows, func(row pgx.CollectableRow) (store.UploadRecord, error) { return scanUpload(row) })
	if err != nil {
		return nil, fmt.Errorf("list stale uploads: %w", err)
	}
	return out, nil
}

func (s *Store) PendingUploadBytes(ctx context.Context, orgID, exceptSHA256 string) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, `SELECT COALESCE(SUM(size), 0)::BIGINT FROM uploads WHERE org_id = $1 AND sha256 <> $2`,
		orgID, exceptSHA256).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sum pending uploads: %w", err)
	}
	return n, nil
}

func orgBlob(ctx context.Context, q querier, orgID, sum string) (api.FileRef, error) {
	f := api.FileRef{SHA256: sum}
	if !storable(orgID, sum) {
		return f, store.ErrNotFound
	}
	err := q.QueryRow(ctx, `SELECT name, size, media_type FROM org_blobs WHERE org_id = $1 AND sha256 = $2`, orgID, sum).
		Scan(&f.Name, &f.Size, &f.MediaType)
	if errors.Is(err, pgx.ErrNoRows) {
		return f, store.ErrNotFound
	}
	if err != nil {
		return f, fmt.Errorf("read org blob: %w", err)
	}
	return f, nil
}

func usedBytes(ctx context.Context, q querier, orgID string) (int64, error) {
	var n int64
	if err := q.QueryRow(ctx, `SELECT COALESCE(SUM(size), 0)::BIGINT FROM org_blobs WHERE org_id = $1`, orgID).Scan(&n); err != nil {
		return 0, fmt.Errorf("sum org blobs: %w", err)
	}
	return n, nil
}

func (s *Store) OrgBlob(ctx context.Context, orgID, sum string) (api.FileRef, error) {
	return orgBlob(ctx, s.pool, orgID, sum)
}

func (s *Store) UsedBytes(ctx context.Context, orgID string) (int64, error) {
	return usedBytes(ctx, s.pool, orgID)
}

// MissingBlobs passes the hashes as one array, so a query of a thousand hashes is one
// statement with one parameter; WITH ORDINALITY keeps the caller's order.
func (s *Store) MissingBlobs(ctx context.Context, orgID string, sums []string) ([]string, error) {
	if !storable(sums...) {
		return nil, errors.New("missing blobs: a hash is not valid UTF-8") // the caller checks them first
	}
	if sums == nil {
		sums = []string{}
	}
	rows, _ := s.pool.Query(ctx, `SELECT u.sha256 FROM unnest($2::TEXT[]) WITH ORDINALITY AS u(sha256, i)
		WHERE NOT EXISTS (SELECT 1 FROM org_blobs b WHERE b.org_id = $1 AND b.sha256 = u.sha256)
		ORDER BY u.i`, orgID, sums)
	out, err := pgx.AppendRows([]string{}, rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("missing blobs: %w", err)
	}
	return out, nil
}
