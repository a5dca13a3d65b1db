package store

import "context"

// MarkCached records the content of sha as cached without its bytes: for benchmarks of
// a replica whose files were all downloaded.
func MarkCached(ctx context.Context, s *Store, sha string) error {
	_, err := s.db.sql.ExecContext(ctx, `INSERT INTO blob(sha256, size, fetched_at) VALUES (?, 0, '') ON CONFLICT DO NOTHING`, sha)
	return err
}
