package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// The uploads of evidence files (engine.Uploader): the bytes first, then what waited
// for them is queued in the outbox.

// PendingUploads lists the files of evidence still 'local', one per hash, oldest first.
func (s *Store) PendingUploads(ctx context.Context) ([]api.FileRef, error) {
	rows, err := s.db.sql.QueryContext(ctx, `SELECT sha256, MIN(name), size, MIN(media_type) FROM evidence_local
		WHERE state = ? GROUP BY sha256 ORDER BY MIN(added_at)`, EvidenceLocal)
	if err != nil {
		return nil, s.db.noted(err)
	}
	defer rows.Close()
	var out []api.FileRef
	for rows.Next() {
		var f api.FileRef
		if err := rows.Scan(&f.SHA256, &f.Name, &f.Size, &f.MediaType); err != nil {
			return nil, s.db.noted(err)
		}
		out = append(out, f)
	}
	return out, s.db.noted(rows.Err())
}

// UploadState returns the address of a file's upload on the server and the offset it
// last confirmed; "" when no upload was created yet.
func (s *Store) UploadState(ctx context.Context, sha string) (string, int64, error) {
	var url string
	var offset int64
	err := s.db.sql.QueryRowContext(ctx, `SELECT url, offset FROM upload WHERE sha256 = ?`, sha).Scan(&url, &offset)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, nil
	}
	return url, offset, s.db.noted(err)
}

// SaveUpload records an upload's address and the offset the server confirmed.
func (s *Store) SaveUpload(ctx context.Context, sha, url string, offset int64) error {
	_, err := s.db.sql.ExecContext(ctx, `UPDATE upload SET url = ?, offset = ?, updated_at = ? WHERE sha256 = ?`,
		url, offset, time.Now().UTC().Format(time.RFC3339), sha)
	return s.db.noted(err)
}

// Uploaded records that the server has the bytes of sha: the attachments waiting for
// them are queued in the outbox, in one transaction.
func (s *Store) Uploaded(ctx context.Context, sha string, now time.Time) error {
	stamp := now.UTC().Format(time.RFC3339)
	return s.db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE upload SET done = 1, url = '', offset = size, updated_at = ? WHERE sha256 = ?`, stamp, sha); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+evidenceColumns+` FROM evidence_local WHERE sha256 = ? AND state = ? ORDER BY added_at`, sha, EvidenceLocal)
		if err != nil {
			return err
		}
		var list []LocalEvidence
		for rows.Next() {
			e, err := scanEvidence(rows)
			if err != nil {
				rows.Close()
				return err
			}
			list = append(list, *e)
		}
		rows.Close()
		for _, e := range list {
			file, err := json.Marshal(e.File)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO outbox(kind, nc_id, text, created_at, evidence_id, file) VALUES (?, ?, ?, ?, ?, ?)`,
				api.KindEvidenceAdd, e.NCID, e.Subject, stamp, e.ID, string(file)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE evidence_local SET state = ? WHERE id = ?`, EvidenceQueued, e.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

// QueueDueSubmissions queues the evidence submission of every NC for which Send was
// pressed and whose files are all on the server; it returns how many it queued.
func (s *Store) QueueDueSubmissions(ctx context.Context, now time.Time) (int, error) {
	stamp := now.UTC().Format(time.RFC3339)
	n := 0
	err := s.db.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT nc_id, nc_base FROM evidence_ready r WHERE send = 1
			AND NOT EXISTS (SELECT 1 FROM evidence_local e WHERE e.nc_id = r.nc_id AND e.state = ?)`, EvidenceLocal)
		if err != nil {
			return err
		}
		type due struct {
			id   string
			base int64
		}
		var list []due
		for rows.Next() {
			var d due
			if err := rows.Scan(&d.id, &d.base); err != nil {
				rows.Close()
				return err
			}
			list = append(list, d)
		}
		rows.Close()
		for _, d := range list {
			if _, err := addOutbox(ctx, tx, api.KindEvidenceSubmit, d.id, "", d.base, stamp); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE evidence_ready SET send = 0, ready = 0, updated_at = ? WHERE nc_id = ?`, stamp, d.id); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// OpenBlob opens the content of a file in the store.
func (s *Store) OpenBlob(_ context.Context, sha string) (*os.File, error) {
	if !api.ValidSHA256(sha) {
		return nil, ErrNotFound
	}
	return os.Open(s.db.files().PathOf(sha))
}

// UploadRefused marks the evidence files of sha that wait for their upload as refused.
func (s *Store) UploadRefused(ctx context.Context, sha, code string) error {
	_, err := s.db.sql.ExecContext(ctx, `UPDATE evidence_local SET state = ?, code = ? WHERE sha256 = ? AND state = ?`,
		EvidenceRefused, code, sha, EvidenceLocal)
	return s.db.noted(err)
}
