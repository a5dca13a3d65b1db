package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are applied in order, each in its own transaction; the index+1 of a
// migration is its version. Never edit a released migration: append a new one.
var migrations = []string{
	// 1: entities as their wire JSON, with generated columns for what queries filter on.
	`
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE organisation (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE certification (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE contact (id TEXT PRIMARY KEY, data TEXT NOT NULL,
	name TEXT GENERATED ALWAYS AS (json_extract(data, '$.name')) VIRTUAL);
CREATE TABLE certificate (id TEXT PRIMARY KEY, data TEXT NOT NULL,
	year INTEGER GENERATED ALWAYS AS (json_extract(data, '$.year')) VIRTUAL);
CREATE TABLE document (id TEXT PRIMARY KEY, data TEXT NOT NULL,
	date TEXT GENERATED ALWAYS AS (json_extract(data, '$.date')) VIRTUAL);
CREATE TABLE audit (id TEXT PRIMARY KEY, data TEXT NOT NULL,
	date TEXT GENERATED ALWAYS AS (json_extract(data, '$.date')) VIRTUAL);
CREATE TABLE nc (id TEXT PRIMARY KEY, data TEXT NOT NULL,
	audit_id TEXT GENERATED ALWAYS AS (json_extract(data, '$.audit_id')) VIRTUAL,
	stage TEXT GENERATED ALWAYS AS (json_extract(data, '$.stage')) VIRTUAL,
	received TEXT GENERATED ALWAYS AS (json_extract(data, '$.received_date')) VIRTUAL,
	due TEXT GENERATED ALWAYS AS (json_extract(data, '$.due_date')) VIRTUAL);
CREATE INDEX nc_stage ON nc(stage, due);
CREATE INDEX nc_audit ON nc(audit_id);
CREATE TABLE message (id TEXT PRIMARY KEY, data TEXT NOT NULL,
	nc_id TEXT GENERATED ALWAYS AS (json_extract(data, '$.nc_id')) VIRTUAL,
	author_role TEXT GENERATED ALWAYS AS (json_extract(data, '$.author_role')) VIRTUAL,
	sent_at TEXT GENERATED ALWAYS AS (json_extract(data, '$.sent_at')) VIRTUAL);
CREATE INDEX message_nc ON message(nc_id, sent_at);
CREATE INDEX message_sent ON message(sent_at);
CREATE TABLE evidence (id TEXT PRIMARY KEY, data TEXT NOT NULL,
	nc_id TEXT GENERATED ALWAYS AS (json_extract(data, '$.nc_id')) VIRTUAL);
CREATE INDEX evidence_nc ON evidence(nc_id);
CREATE TABLE criterion (id TEXT PRIMARY KEY, data TEXT NOT NULL,
	number TEXT GENERATED ALWAYS AS (json_extract(data, '$.number')) VIRTUAL);
CREATE INDEX criterion_number ON criterion(number);
-- Local only: which analyst messages the user has read.
CREATE TABLE message_read (id TEXT PRIMARY KEY);
-- Local only: files whose content is in the cache, verified by hash.
CREATE TABLE blob (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, fetched_at TEXT NOT NULL);
`,
	// 2: the organisation's shared CA drafts (pulled), and what the user does locally:
	// corrective measures being written, the outbox, notices of the analyst's changes.
	`
CREATE TABLE ca_draft (id TEXT PRIMARY KEY, data TEXT NOT NULL);
-- The user's own text of a corrective measure, saved at every keystroke. draft_base is
-- the server draft revision the text builds on; nc_base the NC revision seen when it was
-- marked ready. notice says why the user must look again (a code the UI translates);
-- other_text and other_revision hold the version that conflicts with the user's.
CREATE TABLE ca_local (
	nc_id TEXT PRIMARY KEY,
	text TEXT NOT NULL,
	ready INTEGER NOT NULL DEFAULT 0,
	queued INTEGER NOT NULL DEFAULT 0,
	draft_base INTEGER NOT NULL DEFAULT 0,
	nc_base INTEGER NOT NULL DEFAULT 0,
	pushed_text TEXT NOT NULL DEFAULT '',
	notice TEXT NOT NULL DEFAULT '',
	other_text TEXT NOT NULL DEFAULT '',
	other_revision INTEGER NOT NULL DEFAULT 0,
	other_by TEXT NOT NULL DEFAULT '',
	updated_at TEXT NOT NULL
);
-- Every local change to send, written in the same transaction as the change. seq never
-- repeats (AUTOINCREMENT): it is the push sequence number.
CREATE TABLE outbox (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	kind TEXT NOT NULL,
	nc_id TEXT NOT NULL,
	text TEXT NOT NULL,
	base_revision INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'pending', -- pending, rejected
	code TEXT NOT NULL DEFAULT '',
	message TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_state ON outbox(state, seq);
-- What a pull brought from the analyst: decisions and messages, until the user saw them.
CREATE TABLE notice (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	nc_id TEXT NOT NULL,
	kind TEXT NOT NULL, -- decision, message
	stage TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	seen INTEGER NOT NULL DEFAULT 0,
	emitted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notice_nc ON notice(nc_id, seen);
`,
	// 3: the server's upload limits, pulled so that files are checked offline.
	`
CREATE TABLE limits (id TEXT PRIMARY KEY, data TEXT NOT NULL);
`,
	// 4: evidence files attached here. A file is 'local' until its bytes are on the
	// server; then its attachment is 'queued' in the outbox; 'attached' once the server
	// has it; 'removing' while its removal is queued.
	`
CREATE TABLE evidence_local (
	id TEXT PRIMARY KEY,
	nc_id TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	name TEXT NOT NULL,
	size INTEGER NOT NULL,
	media_type TEXT NOT NULL,
	subject TEXT NOT NULL DEFAULT '',
	original_sha256 TEXT NOT NULL DEFAULT '',
	original_size INTEGER NOT NULL DEFAULT 0,
	source TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL DEFAULT 'local',
	code TEXT NOT NULL DEFAULT '',
	added_at TEXT NOT NULL
);
CREATE INDEX evidence_local_nc ON evidence_local(nc_id, state);
CREATE INDEX evidence_local_state ON evidence_local(state);
-- Resumable uploads: where the bytes of a file are on the server.
CREATE TABLE upload (
	sha256 TEXT PRIMARY KEY,
	url TEXT NOT NULL DEFAULT '',
	offset INTEGER NOT NULL DEFAULT 0,
	size INTEGER NOT NULL,
	done INTEGER NOT NULL DEFAULT 0,
	updated_at TEXT NOT NULL
);
-- Evidence marked ready to send per NC; send = Send was pressed (the submission is
-- queued once every file of the NC is on the server); nc_base as for CAs.
CREATE TABLE evidence_ready (
	nc_id TEXT PRIMARY KEY,
	ready INTEGER NOT NULL DEFAULT 0,
	send INTEGER NOT NULL DEFAULT 0,
	nc_base INTEGER NOT NULL DEFAULT 0,
	notice TEXT NOT NULL DEFAULT '',
	updated_at TEXT NOT NULL
);
ALTER TABLE outbox ADD COLUMN evidence_id TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN file TEXT NOT NULL DEFAULT '';
`,
	// 5: covering indexes for the per-NC counts, so that listing 5,000 NCs or opening
	// one does not extract JSON from every message (measured: sync/BENCHMARKS.md).
	`
CREATE INDEX message_unread ON message(nc_id, author_role, id);
CREATE INDEX notice_unseen ON notice(seen, nc_id);
`,
	// 6: the hashes of the files that certificates, documents and evidence reference,
	// indexed: written with each pulled row, so that the look for files to download at
	// every sync reads the index, not the JSON of every record.
	`
ALTER TABLE certificate ADD COLUMN file_sha256 TEXT GENERATED ALWAYS AS (json_extract(data, '$.file.sha256')) VIRTUAL;
ALTER TABLE document ADD COLUMN file_sha256 TEXT GENERATED ALWAYS AS (json_extract(data, '$.file.sha256')) VIRTUAL;
ALTER TABLE evidence ADD COLUMN file_sha256 TEXT GENERATED ALWAYS AS (json_extract(data, '$.file.sha256')) VIRTUAL;
CREATE INDEX certificate_file ON certificate(file_sha256);
CREATE INDEX document_file ON document(file_sha256);
CREATE INDEX evidence_file ON evidence(file_sha256);
`,
}

func migrate(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_version: %w", err)
	}
	var version int
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("replica schema version %d is newer than this app (%d): %w", version, len(migrations), ErrTooNew)
	}
	for v := version + 1; v <= len(migrations); v++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[v-1]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version(version) VALUES (?)`, v); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %d: %w", v, err)
		}
	}
	return nil
}
