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

// Uploads and per-organisation blob presence in SQLite.

func (s *Store) CreateUpload(ctx context.Context, u store.UploadRecord) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO uploads (id, org_id, username, sha256, name, media_type, size, created_at, touched_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.ID, u.OrgID, u.Username, u.SHA256, u.Name, u.MediaType, u.Size,
		u.CreatedAt.UnixNano(), u.TouchedAt.UnixNano())
	if err != nil {
		return fmt.Errorf("create upload: %w", err)
	}
	return nil
}

const uploadColumns = `id, org_id, username, sha256, name, media_type, size, created_at, touched_at`

type scanner interface{ Scan(dest ...any) error }

func scanUpload(row scanner) (store.UploadRecord, error) {
	var u store.UploadRecord
	var created, touched int64
	err := row.Scan(&u.ID, &u.OrgID, &u.Username, &u.SHA256, &u.Name, &u.MediaType, &u.Size, &created, &touched)
	if errors.Is(err, sql.ErrNoRows) {
		return u, store.ErrNotFound
	}
	if err != nil {
		return u, fmt.Errorf("read upload: %w", err)
	}
	u.CreatedAt, u.TouchedAt = time.Unix(0, created).UTC(), time.Unix(0, touched).UTC()
	return u, nil
}

func (s *Store) Upload(ctx context.Context, id string) (store.UploadRecord, error) {
	return scanUpload(s.db.QueryRowContext(ctx, `SELECT `+uploadColumns+` FROM uploads WHERE id = ?`, id))
}

func (s *Store) TouchUpload(ctx context.Context, id string, t time.Time) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE uploads SET touched_at = ? WHERE id = ?`, t.UnixNano(), id); err != nil {
		return fmt.Errorf("touch upload: %w", err)
	}
	return nil
}

func (s *Store) DeleteUpload(ctx context.Context, id string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM uploads WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete upload: %w", err)
	}
	return nil
}

func (s *Store) StaleUploads(ctx context.Context, before time.Time) ([]store.UploadRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+uploadColumns+` FROM uploads WHERE touched_at < ? ORDER BY touched_at`, before.UnixNano())
	if err != nil {
		return nil, fmt.Errorf("list stale uploads: %w", err)
	}
	defer rows.Close()
	var out []store.UploadRecord
	for rows.Next() {
		u, err := scanUpload(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (s *Store) PendingUploadBytes(ctx context.Context, orgID, exceptSHA256 string) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(size), 0) FROM uploads WHERE org_id = ? AND sha256 != ?`,
		orgID, exceptSHA256).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sum pending uploads: %w", err)
	}
	return n, nil
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func orgBlob(ctx context.Context, q queryer, orgID, sum string) (api.FileRef, error) {
	f := api.FileRef{SHA256: sum}
	err := q.QueryRowContext(ctx, `SELECT name, size, media_type FROM org_blobs WHERE org_id = ? AND sha256 = ?`, orgID, sum).
		Scan(&f.Name, &f.Size, &f.MediaType)
	if errors.Is(err, sql.ErrNoRows) {
		return f, store.ErrNotFound
	}
	if err != nil {
		return f, fmt.Errorf("read org blob: %w", err)
	}
	return f, nil
}

func usedBytes(ctx context.Context, q queryer, orgID string) (int64, error) {
	var n int64
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(size), 0) FROM org_blobs WHERE org_id = ?`, orgID).Scan(&n); err != nil {
		return 0, fmt.Errorf("sum org blobs: %w", err)
	}
	return n, nil
}

func (s *Store) OrgBlob(ctx context.Context, orgID, sum string) (api.FileRef, error) {
	return orgBlob(ctx, s.db, orgID, sum)
}

func (s *Store) UsedBytes(ctx context.Context, orgID string) (int64, error) {
	return usedBytes(ctx, s.db, orgID)
}

// MissingBlobs passes the hashes as one JSON array, so a query of a thousand hashes
// is one statement with one parameter.
func (s *Store) MissingBlobs(ctx context.Context, orgID string, sums []string) ([]string, error) {
	if sums == nil {
		sums = []string{}
	}
	arr, err := json.Marshal(sums)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT j.value FROM json_each(?) j
		WHERE NOT EXISTS (SELECT 1 FROM org_blobs b WHERE b.org_id = ? AND b.sha256 = j.value)
		ORDER BY j.key`, string(arr), orgID)
	if err != nil {
		return nil, fmt.Errorf("missing blobs: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var sum string
		if err := rows.Scan(&sum); err != nil {
			return nil, fmt.Errorf("missing blobs: %w", err)
		}
		out = append(out, sum)
	}
	return out, rows.Err()
}

func (t *orgTx) Children(entity, parentID string) ([]store.EntityRecord, error) {
	return entityRecords(t.ctx, t.tx, entity, `SELECT data, visible, revision FROM entities
		WHERE org_id = ? AND entity = ? AND parent_id = ? ORDER BY rowid`, t.org, entity, parentID)
}

func (t *orgTx) OrgBlob(sum string) (api.FileRef, error) { return orgBlob(t.ctx, t.tx, t.org, sum) }

func (t *orgTx) UsedBytes() (int64, error) { return usedBytes(t.ctx, t.tx, t.org) }

func (t *orgTx) AddOrgBlob(ref api.FileRef, at time.Time) (bool, error) {
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO org_blobs (org_id, sha256, name, size, media_type, added_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, sha256) DO NOTHING`,
		t.org, ref.SHA256, ref.Name, ref.Size, ref.MediaType, at.UnixNano())
	if err != nil {
		return false, fmt.Errorf("add org blob: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
