package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// migration is one numbered step of the schema. Steps are append-only: a released step
// is never edited, a change is a new step.
type migration struct {
	version int
	name    string
	sql     string
}

// Times are Unix nanoseconds (BIGINT), as in the SQLite store: a Go time comes back
// exactly as written, and comparisons are integer ones. JSON is stored as TEXT, never
// JSONB, so the bytes a client receives are the bytes the server encoded.
var migrations = []migration{
	{1, "initial schema", `
-- last_seq is the organisation's change-log counter. Its row is also the lock that
-- serialises the organisation's writes (see Store.lockOrg).
CREATE TABLE orgs (
	id       TEXT PRIMARY KEY,
	name     TEXT NOT NULL,
	last_seq BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE users (
	username      TEXT PRIMARY KEY,
	name          TEXT NOT NULL,
	role          TEXT NOT NULL CHECK (role IN ('client', 'analyst', 'auditor')),
	org_id        TEXT REFERENCES orgs(id),
	password_hash TEXT NOT NULL,
	CHECK ((role = 'client') = (org_id IS NOT NULL))
);
-- Tokens are stored as their SHA-256, never in clear. A family is a login's tokens and
-- those of the refreshes since; spent_at is when a refresh token was exchanged (NULL
-- while usable), kept until it expires so that a second use is recognised.
CREATE TABLE tokens (
	hash       TEXT PRIMARY KEY,
	kind       TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
	username   TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
	expires_at BIGINT NOT NULL,
	family     TEXT NOT NULL,
	spent_at   BIGINT
);
CREATE INDEX tokens_expires_at ON tokens(expires_at);
CREATE INDEX tokens_family ON tokens(family);

-- The current state of every entity, as its wire JSON; ord is the insertion order
-- (Children), kept by an update. entities_parent leads with parent_id so that it never
-- looks like a match for a look-up by key: on a table without statistics yet (a bulk
-- write in one transaction) the planner took it for one and scanned a whole kind.
CREATE TABLE entities (
	org_id    TEXT NOT NULL REFERENCES orgs(id),
	entity    TEXT NOT NULL,
	id        TEXT NOT NULL,
	parent_id TEXT NOT NULL DEFAULT '',
	data      TEXT NOT NULL,
	visible   BOOLEAN NOT NULL,
	revision  BIGINT NOT NULL,
	ord       BIGINT GENERATED ALWAYS AS IDENTITY,
	PRIMARY KEY (org_id, entity, id)
);
CREATE INDEX entities_parent ON entities(org_id, parent_id, entity, ord);

-- Only the latest change of each entity is kept: a newer change replaces the row.
CREATE TABLE changes (
	org_id TEXT NOT NULL REFERENCES orgs(id),
	seq    BIGINT NOT NULL,
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
	size       BIGINT NOT NULL,
	media_type TEXT NOT NULL,
	PRIMARY KEY (org_id, entity, entity_id, sha256)
);
CREATE INDEX file_refs_sha256 ON file_refs(org_id, sha256);

-- The last sequence number applied per client, and the result of every push entry,
-- returned again when the entry is replayed.
CREATE TABLE push_clients (
	org_id    TEXT NOT NULL REFERENCES orgs(id),
	client_id TEXT NOT NULL,
	last_seq  BIGINT NOT NULL,
	PRIMARY KEY (org_id, client_id)
);
CREATE TABLE push_results (
	org_id    TEXT NOT NULL REFERENCES orgs(id),
	client_id TEXT NOT NULL,
	seq       BIGINT NOT NULL,
	result    TEXT NOT NULL,
	PRIMARY KEY (org_id, client_id, seq)
);

-- The audit trail: every client push entry and every analyst or auditor action.
CREATE TABLE events (
	id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id   TEXT NOT NULL REFERENCES orgs(id),
	nc_id    TEXT NOT NULL DEFAULT '',
	at       BIGINT NOT NULL,
	username TEXT NOT NULL,
	name     TEXT NOT NULL,
	role     TEXT NOT NULL,
	action   TEXT NOT NULL,
	detail   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_nc ON events(org_id, nc_id, id);

-- Sessions of the analyst console, stored as the SHA-256 of the cookie value.
CREATE TABLE console_sessions (
	hash       TEXT PRIMARY KEY,
	username   TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
	csrf       TEXT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX console_sessions_expires_at ON console_sessions(expires_at);

-- Unfinished tus uploads, and which blobs each organisation uploaded (the authority
-- for /blobs/missing, for evidence.add and for the quota).
CREATE TABLE uploads (
	id         TEXT PRIMARY KEY,
	org_id     TEXT NOT NULL REFERENCES orgs(id),
	username   TEXT NOT NULL,
	sha256     TEXT NOT NULL,
	name       TEXT NOT NULL,
	media_type TEXT NOT NULL,
	size       BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	touched_at BIGINT NOT NULL
);
CREATE INDEX uploads_org ON uploads(org_id);
CREATE INDEX uploads_touched ON uploads(touched_at);
CREATE TABLE org_blobs (
	org_id     TEXT NOT NULL REFERENCES orgs(id),
	sha256     TEXT NOT NULL,
	name       TEXT NOT NULL,
	size       BIGINT NOT NULL,
	media_type TEXT NOT NULL,
	added_at   BIGINT NOT NULL,
	PRIMARY KEY (org_id, sha256)
);
`},
	{2, "sessions ended by a password change", `
-- Why a token no longer works although it is kept until it expires: 'password_changed'
-- for the other sessions of a user who changed the password, so that their clients are
-- told why they must log in again. Empty while the token works.
ALTER TABLE tokens ADD COLUMN revoked TEXT NOT NULL DEFAULT '';
`},
	{3, "crash reports of the desktop apps", `
-- What the desktop apps report of their crashes (no personal data: api.CrashReport),
-- kept for the operators' console. One report per (organisation, id).
CREATE TABLE crash_reports (
	org_id      TEXT NOT NULL REFERENCES orgs(id),
	id          TEXT NOT NULL,
	received_at BIGINT NOT NULL, -- Unix nanoseconds
	report      TEXT NOT NULL,   -- the api.CrashReport, JSON
	PRIMARY KEY (org_id, id)
);
CREATE INDEX crash_reports_received ON crash_reports(received_at);
`},
	{4, "operator directory", `
-- The operator directory: public facts shared by every organisation. data is the
-- operator's wire JSON; seq orders the directory's changes. directory_seq's one row is
-- the counter and the lock that serialises the directory's writers (see PutOperators).
CREATE TABLE directory_seq (
	id       INTEGER PRIMARY KEY CHECK (id = 1),
	last_seq BIGINT NOT NULL
);
INSERT INTO directory_seq (id, last_seq) VALUES (1, 0);
CREATE TABLE operators (
	flo_id TEXT PRIMARY KEY,
	seq    BIGINT NOT NULL UNIQUE,
	data   TEXT NOT NULL
);
`},
	{5, "failed logins, upload lock hand-overs", `
-- The failed logins that the login limits count (store.LoginFailures), shared by every
-- node: key is a hash of what is counted (a user, an address, the pair), at Unix
-- nanoseconds. Rows older than the limits' window are dropped as new failures come.
CREATE TABLE login_failures (
	key TEXT NOT NULL,
	at  BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);
CREATE INDEX login_failures_at ON login_failures(at);
-- When a locked user's next attempt may be checked (Unix nanoseconds); the row is the
-- lock that spaces the nodes' attempts.
CREATE TABLE login_slots (
	key  TEXT PRIMARY KEY,
	next BIGINT NOT NULL
);
-- The upload locks (package pglock) held now, by advisory key: a holder adds its row
-- when it takes the lock and deletes it when it releases. A row found by the next
-- taker means that the last holder lost its connection without releasing, and may
-- still be writing until its keep-alive notices: the taker waits that long first.
CREATE TABLE upload_locks (
	key BIGINT PRIMARY KEY
);
`},
	{6, "the organisations' trails of their users' changes", `
-- Every replica's trail entries (api.TrailEntry), chained per organisation: org_seq
-- counts the organisation's entries, chain links each to the one before
-- (api.TrailChainHash); trail_heads holds each organisation's last org_seq and chain,
-- and its row is the lock that makes one organisation's appends go one at a time.
CREATE TABLE trail_entries (
	org_id      TEXT NOT NULL REFERENCES orgs(id),
	org_seq     BIGINT NOT NULL,
	client_id   TEXT NOT NULL,
	seq         BIGINT NOT NULL,
	at          TEXT NOT NULL, -- api.TrailTimeLayout, as hashed
	author      TEXT NOT NULL,
	kind        TEXT NOT NULL,
	nc_id       TEXT NOT NULL,
	digest      TEXT NOT NULL,
	prev        TEXT NOT NULL,
	hash        TEXT NOT NULL,
	chain       TEXT NOT NULL,
	received_at BIGINT NOT NULL, -- Unix nanoseconds
	PRIMARY KEY (org_id, org_seq),
	UNIQUE (org_id, client_id, seq)
);
CREATE TABLE trail_heads (
	org_id TEXT PRIMARY KEY REFERENCES orgs(id),
	seq    BIGINT NOT NULL,
	chain  TEXT NOT NULL
);
`},
	{7, "roles in the organisation and disabled accounts", `
-- Every existing client user was the organisation's one login: a manager.
ALTER TABLE users ADD COLUMN org_role TEXT NOT NULL DEFAULT 'manager' CHECK (org_role IN ('manager', 'staff'));
ALTER TABLE users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX users_org ON users(org_id);
`},
	{8, "calendar feeds", `
-- One feed per user; its token is kept as its SHA-256 only. etag and changed_at (Unix
-- nanoseconds) say what the feed served last and since when.
CREATE TABLE calendar_feeds (
	username   TEXT PRIMARY KEY REFERENCES users(username) ON DELETE CASCADE,
	hash       TEXT NOT NULL UNIQUE,
	lang       TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	etag       TEXT NOT NULL DEFAULT '',
	changed_at BIGINT NOT NULL
);
`},
}

// migrationLock is the key of the session advisory lock held while migrating, so that
// nodes starting at once migrate one after the other: the second finds the schema
// current and does nothing.
const migrationLock int64 = 0x6563_6572_7400_0001 // "ecert" + 1

// migrate applies the missing steps, each in its own transaction together with its
// row in schema_migrations, so a crash leaves the schema at a known version. It
// returns the version the database had before (0 for a new database).
func migrate(ctx context.Context, pool *pgxpool.Pool, now func() time.Time) (current int, err error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return 0, fmt.Errorf("migrate: lock: %w", err)
	}
	defer func() {
		// Released even when ctx ended, or the pooled connection would keep the lock.
		if _, uerr := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock); uerr != nil && err == nil {
			err = fmt.Errorf("migrate: unlock: %w", uerr)
		}
	}()
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
		return 0, fmt.Errorf("create schema_migrations: %w", err)
	}
	if err := conn.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if last := migrations[len(migrations)-1].version; current > last {
		return current, fmt.Errorf("database schema version %d is newer than this server (%d)", current, last)
	}
	for _, m := range migrations {
		if m.version <= current {
			continue
		}
		tx, err := conn.Begin(ctx)
		if err != nil {
			return current, fmt.Errorf("migration %d: %w", m.version, err)
		}
		// A step is several statements: the simple protocol runs them as one.
		if _, err := tx.Exec(ctx, m.sql, pgxSimple); err != nil {
			tx.Rollback(ctx)
			return current, fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
			m.version, m.name, now().UTC()); err != nil {
			tx.Rollback(ctx)
			return current, fmt.Errorf("migration %d: record: %w", m.version, err)
		}
		if err := tx.Commit(ctx); err != nil {
			return current, fmt.Errorf("migration %d: commit: %w", m.version, err)
		}
	}
	return current, nil
}
