package store

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/files"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// ErrHashMismatch means downloaded content does not have the hash it was asked by.
var ErrHashMismatch = files.ErrHashMismatch

// Files finds the cached content of files (certificates, documents, evidence) by hash:
// where it lies and what references it. The sync engine's downloads and uploads go
// through Store. Safe for concurrent use.
type Files struct{ db *database }

func (d *database) blobDir() string { return filepath.Join(d.dir, "files") }

// files is the content store of the files folder, which writes every file in it. It
// holds no state, so a new one per call costs nothing.
func (d *database) files() *files.Store { return files.New(d.blobDir()) }

// Dir is where file content lives, by hash: downloads and attached evidence alike.
func (f *Files) Dir() string { return f.db.blobDir() }

// Path returns where the content with the given hash is cached, and whether it is.
func (f *Files) Path(ctx context.Context, sha string) (string, bool, error) {
	path := f.db.files().PathOf(sha)
	if path == "" {
		return "", false, ErrNotFound
	}
	var n int
	if err := f.db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM blob WHERE sha256 = ?`, sha).Scan(&n); err != nil {
		return "", false, f.db.noted(err)
	}
	if n == 0 {
		return path, false, nil
	}
	if _, err := os.Stat(path); err != nil {
		return path, false, nil
	}
	return path, true, nil
}

// Ref finds the reference (name, type) of a file by its hash among the certificates,
// documents and evidence; ErrNotFound when nothing references it.
func (f *Files) Ref(ctx context.Context, sha string) (*api.FileRef, error) {
	if !api.ValidSHA256(sha) {
		return nil, ErrNotFound
	}
	ref, err := one[api.FileRef](ctx, f.db.sql, `
		SELECT json_extract(data, '$.file') FROM certificate WHERE file_sha256 = ?1
		UNION ALL SELECT json_extract(data, '$.file') FROM document WHERE file_sha256 = ?1
		UNION ALL SELECT json_extract(data, '$.file') FROM evidence WHERE file_sha256 = ?1
		UNION ALL SELECT json_object('sha256', sha256, 'name', name, 'size', size, 'media_type', media_type)
			FROM evidence_local WHERE sha256 = ?1
		UNION ALL SELECT json_object('sha256', original_sha256, 'name', name, 'size', original_size, 'media_type', media_type)
			FROM evidence_local WHERE original_sha256 = ?1
		LIMIT 1`, sha)
	return ref, f.db.noted(err)
}

// MissingFiles lists the files referenced by certificates, documents and evidence whose
// content is not cached yet. It reads the indexes of their hashes (migration 6), each
// hash once however many records share it, and decodes only the records of missing
// files: with every file cached, no JSON at all.
func (s *Store) MissingFiles(ctx context.Context) ([]api.FileRef, error) {
	refs, err := list[api.FileRef](ctx, s.db.sql, `
		WITH missing(sha) AS (`+hashesIn("certificate")+` UNION `+hashesIn("document")+` UNION `+hashesIn("evidence")+`
			EXCEPT SELECT sha256 FROM blob)
		SELECT json_object('sha256', sha, 'name', name, 'size', size, 'media_type', media) FROM (
			`+filesIn("certificate")+` UNION `+filesIn("document")+` UNION `+filesIn("evidence")+`)
		GROUP BY sha`)
	return refs, s.db.noted(err)
}

// hashesIn selects the hashes of the files of table (certificate, document or
// evidence) from their index, each once.
func hashesIn(table string) string {
	return `SELECT DISTINCT file_sha256 FROM ` + table + ` INDEXED BY ` + table + `_file WHERE file_sha256 IS NOT NULL`
}

// filesIn selects the references of the files of table that are missing.
func filesIn(table string) string {
	return `SELECT file_sha256 AS sha, json_extract(data, '$.file.name') AS name,
		json_extract(data, '$.file.size') AS size, json_extract(data, '$.file.media_type') AS media
		FROM ` + table + ` WHERE file_sha256 IN missing`
}

// PartialDownload opens the partly downloaded content of sha for appending (creating
// it) and returns how many bytes it holds.
func (s *Store) PartialDownload(sha string) (*os.File, int64, error) {
	if !api.ValidSHA256(sha) {
		return nil, 0, ErrNotFound
	}
	return s.db.files().Partial(sha)
}

// FinishDownload checks a complete download against ref's hash, then keeps it in the
// files folder (synced, renamed into place, the folder synced) and records it. Content
// that does not match is thrown away, so that the next attempt starts clean.
func (s *Store) FinishDownload(ctx context.Context, ref api.FileRef) error {
	if !api.ValidSHA256(ref.SHA256) {
		return ErrNotFound
	}
	n, err := s.db.files().Finish(ref.SHA256)
	if err != nil {
		return err
	}
	_, err = s.db.sql.ExecContext(ctx, `INSERT INTO blob(sha256, size, fetched_at) VALUES (?, ?, ?)
		ON CONFLICT(sha256) DO NOTHING`, ref.SHA256, n, time.Now().UTC().Format(time.RFC3339))
	return s.db.noted(err)
}
