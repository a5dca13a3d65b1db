-- 2: the organisation's shared CA drafts (pulled), and what the user does locally:
-- corrective measures being written, the outbox, notices of the analyst's changes.
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
