-- 4: evidence files attached here. A file is 'local' until its bytes are on the
-- server; then its attachment is 'queued' in the outbox; 'attached' once the server
-- has it; 'removing' while its removal is queued.
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
