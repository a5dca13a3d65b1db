package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// ErrHashMismatch means downloaded content does not have the hash it was asked by.
var ErrHashMismatch = errors.New("content does not match its hash")

func (s *Store) blobDir() string { return filepath.Join(s.dir, "files") }

// validHash reports whether h is a lowercase hex SHA-256: only those name files.
func validHash(h string) bool {
	if len(h) != 64 {
		return false
	}
	_, err := hex.DecodeString(h)
	return err == nil && h == strings.ToLower(h)
}

// BlobPath returns where the content with the given hash is cached, and whether it is.
func (s *Store) BlobPath(ctx context.Context, sha string) (string, bool, error) {
	if !validHash(sha) {
		return "", false, ErrNotFound
	}
	path := filepath.Join(s.blobDir(), sha[:2], sha)
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM blob WHERE sha256 = ?`, sha).Scan(&n); err != nil {
		return "", false, err
	}
	if n == 0 {
		return path, false, nil
	}
	if _, err := os.Stat(path); err != nil {
		return path, false, nil
	}
	return path, true, nil
}

// MissingFiles lists the files referenced by certificates, documents and evidence whose
// content is not cached yet.
func (s *Store) MissingFiles(ctx context.Context) ([]api.FileRef, error) {
	return list[api.FileRef](ctx, s.db, `
		SELECT json_object('sha256', sha, 'name', name, 'size', size, 'media_type', media) FROM (
			SELECT json_extract(data, '$.file.sha256') AS sha, json_extract(data, '$.file.name') AS name,
				json_extract(data, '$.file.size') AS size, json_extract(data, '$.file.media_type') AS media
			FROM certificate
			UNION SELECT json_extract(data, '$.file.sha256'), json_extract(data, '$.file.name'),
				json_extract(data, '$.file.size'), json_extract(data, '$.file.media_type') FROM document
			UNION SELECT json_extract(data, '$.file.sha256'), json_extract(data, '$.file.name'),
				json_extract(data, '$.file.size'), json_extract(data, '$.file.media_type') FROM evidence)
		WHERE sha IS NOT NULL AND sha NOT IN (SELECT sha256 FROM blob)
		GROUP BY sha`)
}

// FileRef finds the reference (name, type) of a file by its hash among the
// certificates, documents and evidence; ErrNotFound when nothing references it.
func (s *Store) FileRef(ctx context.Context, sha string) (*api.FileRef, error) {
	if !validHash(sha) {
		return nil, ErrNotFound
	}
	return one[api.FileRef](ctx, s.db, `
		SELECT json_extract(data, '$.file') FROM certificate WHERE json_extract(data, '$.file.sha256') = ?1
		UNION ALL SELECT json_extract(data, '$.file') FROM document WHERE json_extract(data, '$.file.sha256') = ?1
		UNION ALL SELECT json_extract(data, '$.file') FROM evidence WHERE json_extract(data, '$.file.sha256') = ?1
		UNION ALL SELECT json_object('sha256', sha256, 'name', name, 'size', size, 'media_type', media_type)
			FROM evidence_local WHERE sha256 = ?1
		UNION ALL SELECT json_object('sha256', original_sha256, 'name', name, 'size', original_size, 'media_type', media_type)
			FROM evidence_local WHERE original_sha256 = ?1
		LIMIT 1`, sha)
}

func (s *Store) partialPath(sha string) string { return filepath.Join(s.blobDir(), "partial", sha) }

// PartialDownload opens the partly downloaded content of sha for appending (creating
// it) and returns how many bytes it holds.
func (s *Store) PartialDownload(sha string) (*os.File, int64, error) {
	if !validHash(sha) {
		return nil, 0, ErrNotFound
	}
	if err := os.MkdirAll(filepath.Dir(s.partialPath(sha)), 0o700); err != nil {
		return nil, 0, err
	}
	f, err := os.OpenFile(s.partialPath(sha), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}

// FinishDownload checks a complete download against ref's hash, then keeps it in the
// cache (synced, renamed into place). Content that does not match is thrown away, so
// that the next attempt starts clean.
func (s *Store) FinishDownload(ctx context.Context, ref api.FileRef) error {
	path := s.partialPath(ref.SHA256)
	// Read-write: Windows refuses to flush (Sync) a handle opened for reading only.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err == nil {
		err = f.Sync()
	}
	f.Close()
	if err != nil {
		return fmt.Errorf("finish download: %w", err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != ref.SHA256 {
		os.Remove(path)
		return fmt.Errorf("finish download %s: %w (got %s)", ref.SHA256, ErrHashMismatch, got)
	}
	dir := filepath.Join(s.blobDir(), ref.SHA256[:2])
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if err := os.Rename(path, filepath.Join(dir, ref.SHA256)); err != nil {
		return fmt.Errorf("finish download: %w", err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO blob(sha256, size, fetched_at) VALUES (?, ?, ?)
		ON CONFLICT(sha256) DO NOTHING`, ref.SHA256, n, time.Now().UTC().Format(time.RFC3339))
	return err
}
