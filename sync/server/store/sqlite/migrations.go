package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// migration is one numbered step of the schema. Steps are append-only: a released step
// is never edited, a change is a new step.
type migration struct {
	version int
	name    string
	sql     string
}

var migrations = []migration{
	{1, "initial schema", `
CREATE TABLE orgs (
	id   TEXT PRIMARY KEY,
	name TEXT NOT NULL
);
CREATE TABLE users (
	username      TEXT PRIMARY KEY,
	name          TEXT NOT NULL,
	role          TEXT NOT NULL CHECK (role IN ('client', 'analyst', 'auditor')),
	org_id        TEXT REFERENCES orgs(id),
	password_hash TEXT NOT NULL,
	CHECK ((role = 'client') = (org_id IS NOT NULL))
);
-- Tokens are stored as their SHA-256, never in clear.
CREATE TABLE tokens (
	hash       TEXT PRIMARY KEY,
	kind       TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
	username   TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
	expires_at INTEGER NOT NULL -- Unix nanoseconds
);
CREATE INDEX tokens_expires_at ON tokens(expires_at);

-- The current state of every entity, as its wire JSON.
CREATE TABLE entities (
	org_id    TEXT NOT NULL REFERENCES orgs(id),
	entity    TEXT NOT NULL,
	id        TEXT NOT NULL,
	parent_id TEXT NOT NULL DEFAULT '',
	data      TEXT NOT NULL,
	visible   INTEGER NOT NULL,
	revision  INTEGER NOT NULL,
	PRIMARY KEY (org_id, entity, id)
);
CREATE INDEX entities_parent ON entities(org_id, entity, parent_id);

-- Per-organisation sequence of the change log, bumped in the writing transaction.
CREATE TABLE org_seq (
	org_id   TEXT PRIMARY KEY REFERENCES orgs(id),
	last_seq INTEGER NOT NULL
);
-- Only the latest change of each entity is kept: a newer change replaces the row.
CREATE TABLE changes (
	org_id TEXT NOT NULL REFERENCES orgs(id),
	seq    INTEGER NOT NULL,
	entity TEXT NOT NULL,
	id     TEXT NOT NULL,
	op     TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
	data   TEXT,
	PRIMARY KEY (org_id, seq),
	UNIQUE (org_id, entity, id)
);

-- Which files the visible entities of an organisation refer to: the authority for
-- GET /files/{sha256}.
CREATE TABLE file_refs (
	org_id     TEXT NOT NULL REFERENCES orgs(id),
	entity     TEXT NOT NULL,
	entity_id  TEXT NOT NULL,
	sha256     TEXT NOT NULL,
	name       TEXT NOT NULL,
	size       INTEGER NOT NULL,
	media_type TEXT NOT NULL,
	PRIMARY KEY (org_id, entity, entity_id, sha256)
);
CREATE INDEX file_refs_sha256 ON file_refs(org_id, sha256);
`},
	{2, "push, audit trail, console sessions", `
-- The last sequence number applied per client (one replica of one organisation).
CREATE TABLE push_clients (
	org_id    TEXT NOT NULL REFERENCES orgs(id),
	client_id TEXT NOT NULL,
	last_seq  INTEGER NOT NULL,
	PRIMARY KEY (org_id, client_id)
);
-- The result of every push entry, returned again when the entry is replayed.
CREATE TABLE push_results (
	org_id    TEXT NOT NULL REFERENCES orgs(id),
	client_id TEXT NOT NULL,
	seq       INTEGER NOT NULL,
	result    TEXT NOT NULL,
	PRIMARY KEY (org_id, client_id, seq)
);
-- The audit trail: every client push entry and every analyst or auditor action.
CREATE TABLE events (
	id       INTEGER PRIMARY KEY AUTOINCREMENT,
	org_id   TEXT NOT NULL REFERENCES orgs(id),
	nc_id    TEXT NOT NULL DEFAULT '',
	at       INTEGER NOT NULL, -- Unix nanoseconds, server clock
	username TEXT NOT NULL,
	name     TEXT NOT NULL,
	role     TEXT NOT NULL,
	action   TEXT NOT NULL,
	detail   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_nc ON events(org_id, nc_id, id);
-- Sessions of the analyst console (cookie), stored as the SHA-256 of the cookie value.
CREATE TABLE console_sessions (
	hash       TEXT PRIMARY KEY,
	username   TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
	csrf       TEXT NOT NULL,
	expires_at INTEGER NOT NULL -- Unix nanoseconds
);
`},
	{3, "evidence uploads and per-organisation blob presence", `
-- Unfinished tus uploads: who created them, what they promise to be, when they last
-- moved (the server clock), so another organisation's requests are refused and the
-- janitor can expire them.
CREATE TABLE uploads (
	id         TEXT PRIMARY KEY,
	org_id     TEXT NOT NULL REFERENCES orgs(id),
	username   TEXT NOT NULL,
	sha256     TEXT NOT NULL,
	name       TEXT NOT NULL,
	media_type TEXT NOT NULL,
	size       INTEGER NOT NULL,
	created_at INTEGER NOT NULL, -- Unix nanoseconds
	touched_at INTEGER NOT NULL  -- Unix nanoseconds
);
CREATE INDEX uploads_org ON uploads(org_id);
CREATE INDEX uploads_touched ON uploads(touched_at);
-- Which blobs an organisation uploaded: the authority for /blobs/missing, for
-- evidence.add and for the quota. The bytes themselves are stored once for all.
CREATE TABLE org_blobs (
	org_id     TEXT NOT NULL REFERENCES orgs(id),
	sha256     TEXT NOT NULL,
	name       TEXT NOT NULL,
	size       INTEGER NOT NULL,
	media_type TEXT NOT NULL,
	added_at   INTEGER NOT NULL, -- Unix nanoseconds
	PRIMARY KEY (org_id, sha256)
);
`},
	{4, "token families and spent refresh tokens", `
-- A family is a login's tokens and those of the refreshes since: a refresh ends the
-- family's access tokens, a logout or a replayed refresh token deletes the family.
-- Tokens of older versions make a family each.
ALTER TABLE tokens ADD COLUMN family TEXT NOT NULL DEFAULT '';
UPDATE tokens SET family = hash;
CREATE INDEX tokens_family ON tokens(family);
-- When a refresh token was exchanged (Unix nanoseconds); NULL while it is usable. A
-- spent token stays until it expires, so that a second use is recognised.
ALTER TABLE tokens ADD COLUMN spent_at INTEGER;
`},
	{5, "sessions ended by a password change", `
-- Why a token no longer works although it is kept until it expires: 'password_changed'
-- for the other sessions of a user who changed the password, so that their clients are
-- told why they must log in again. Empty while the token works.
ALTER TABLE tokens ADD COLUMN revoked TEXT NOT NULL DEFAULT '';
`},
	{6, "crash reports of the desktop apps", `
-- What the desktop apps report of their crashes (no personal data: api.CrashReport),
-- kept for the operators' console. One report per (organisation, id): a resend is the
-- same report.
CREATE TABLE crash_reports (
	org_id      TEXT NOT NULL REFERENCES orgs(id),
	id          TEXT NOT NULL,
	received_at INTEGER NOT NULL, -- Unix nanoseconds
	report      TEXT NOT NULL,    -- the api.CrashReport, JSON
	PRIMARY KEY (org_id, id)
);
CREATE INDEX crash_reports_received ON crash_reports(received_at);
`},
	{7, "operator directory", `
-- The operator directory: public facts shared by every organisation. data is the
-- operator's wire JSON; seq orders the directory's changes (directory_seq.last_seq is
-- its counter, bumped in the writing transaction).
CREATE TABLE directory_seq (
	id       INTEGER PRIMARY KEY CHECK (id = 1),
	last_seq INTEGER NOT NULL
);
INSERT INTO directory_seq (id, last_seq) VALUES (1, 0);
CREATE TABLE operators (
	flo_id TEXT PRIMARY KEY,
	seq    INTEGER NOT NULL UNIQUE,
	data   TEXT NOT NULL
);
`},
	{8, "failed logins", `
-- The failed logins that the login limits count (store.LoginFailures): key is a hash
-- of what is counted (a user, an address, the pair), at Unix nanoseconds. Rows older
-- than the limits' window are dropped as new failures come.
CREATE TABLE login_failures (
	key TEXT NOT NULL,
	at  INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);
CREATE INDEX login_failures_at ON login_failures(at);
-- When a locked user's next attempt may be checked (Unix nanoseconds).
CREATE TABLE login_slots (
	key  TEXT PRIMARY KEY,
	next INTEGER NOT NULL
);
`},
	{9, "the organisations' trails of their users' changes", `
-- Every replica's trail entries (api.TrailEntry), chained per organisation: org_seq
-- counts the organisation's entries, chain links each to the one before
-- (api.TrailChainHash); trail_heads holds each organisation's last org_seq and chain.
CREATE TABLE trail_entries (
	org_id      TEXT NOT NULL REFERENCES orgs(id),
	org_seq     INTEGER NOT NULL,
	client_id   TEXT NOT NULL,
	seq         INTEGER NOT NULL,
	at          TEXT NOT NULL, -- api.TrailTimeLayout, as hashed
	author      TEXT NOT NULL,
	kind        TEXT NOT NULL,
	nc_id       TEXT NOT NULL,
	digest      TEXT NOT NULL,
	prev        TEXT NOT NULL,
	hash        TEXT NOT NULL,
	chain       TEXT NOT NULL,
	received_at INTEGER NOT NULL, -- Unix nanoseconds
	PRIMARY KEY (org_id, org_seq),
	UNIQUE (org_id, client_id, seq)
);
CREATE TABLE trail_heads (
	org_id TEXT PRIMARY KEY REFERENCES orgs(id),
	seq    INTEGER NOT NULL,
	chain  TEXT NOT NULL
);
`},
	{10, "roles in the organisation and disabled accounts", `
-- Every existing client user was the organisation's one login: a manager.
ALTER TABLE users ADD COLUMN org_role TEXT NOT NULL DEFAULT 'manager' CHECK (org_role IN ('manager', 'staff'));
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
CREATE INDEX users_org ON users(org_id);
`},
	{11, "calendar feeds", `
-- One feed per user; its token is kept as its SHA-256 only. etag and changed_at (Unix
-- nanoseconds) say what the feed served last and since when.
CREATE TABLE calendar_feeds (
	username   TEXT PRIMARY KEY REFERENCES users(username) ON DELETE CASCADE,
	hash       TEXT NOT NULL UNIQUE,
	lang       TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	etag       TEXT NOT NULL DEFAULT '',
	changed_at INTEGER NOT NULL
);
`},
}

// migrate applies the missing steps, each in its own transaction together with its
// row in schema_migrations, so a crash leaves the schema at a known version. It
// returns the version the database had before (0 for a new database).
func migrate(ctx context.Context, db *sql.DB, now func() time.Time) (int, error) {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("create schema_migrations: %w", err)
	}
	var current int
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if last := migrations[len(migrations)-1].version; current > last {
		return current, fmt.Errorf("database schema version %d is newer than this server (%d)", current, last)
	}
	for _, m := range migrations {
		if m.version <= current {
			continue
		}
		if err := applyMigration(ctx, db, m, now()); err != nil {
			return current, err
		}
	}
	return current, nil
}

func applyMigration(ctx context.Context, db *sql.DB, m migration, at time.Time) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %d: %w", m.version, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, at.UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("migration %d: record: %w", m.version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %d: commit: %w", m.version, err)
	}
	return nil
}
