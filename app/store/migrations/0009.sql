-- 9: the trail (app/store/trail): every change the user makes, hash-chained. Triggers
-- queue each change in trail_queue in the transaction that makes it (a new outbox entry
-- of any kind, an edit of a queued one, a CA marked or unmarked ready); the store seals
-- the queue into trail, with the hashes, before that transaction commits.
CREATE TABLE trail (
	seq    INTEGER PRIMARY KEY, -- 1, 2, 3 … without gaps: the replica's chain
	at     TEXT NOT NULL,       -- RFC 3339, UTC, seconds
	author TEXT NOT NULL,       -- the user name logged in when the change was made
	kind   TEXT NOT NULL,
	nc_id  TEXT NOT NULL,
	digest TEXT NOT NULL,       -- SHA-256 of the change's content (api.TrailDigest)
	prev   TEXT NOT NULL,       -- hash of the entry before (api.TrailGenesis for the first)
	hash   TEXT NOT NULL        -- api.TrailHash of this entry
);
CREATE INDEX trail_nc ON trail(nc_id, seq);
CREATE TABLE trail_queue (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	at            TEXT NOT NULL,
	author        TEXT NOT NULL,
	kind          TEXT NOT NULL,
	nc_id         TEXT NOT NULL,
	text          TEXT NOT NULL,
	base_revision INTEGER NOT NULL,
	evidence_id   TEXT NOT NULL,
	file          TEXT NOT NULL
);
-- What the server acknowledged (acked: the last seq it holds) or refused (code, seq).
CREATE TABLE trail_sync (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	acked   INTEGER NOT NULL DEFAULT 0,
	code    TEXT NOT NULL DEFAULT '',
	refused INTEGER NOT NULL DEFAULT 0
);
INSERT INTO trail_sync(id) VALUES (1);
CREATE TRIGGER trail_outbox_insert AFTER INSERT ON outbox BEGIN
	INSERT INTO trail_queue(at, author, kind, nc_id, text, base_revision, evidence_id, file)
	VALUES (NEW.created_at,
		COALESCE((SELECT json_extract(value, '$.user.username') FROM meta WHERE key = 'session.json'), ''),
		NEW.kind, NEW.nc_id, NEW.text, NEW.base_revision, NEW.evidence_id, NEW.file);
END;
CREATE TRIGGER trail_outbox_update AFTER UPDATE OF kind, nc_id, text, base_revision, evidence_id, file ON outbox
WHEN NEW.kind IS NOT OLD.kind OR NEW.nc_id IS NOT OLD.nc_id OR NEW.text IS NOT OLD.text
	OR NEW.base_revision IS NOT OLD.base_revision OR NEW.evidence_id IS NOT OLD.evidence_id OR NEW.file IS NOT OLD.file
BEGIN
	INSERT INTO trail_queue(at, author, kind, nc_id, text, base_revision, evidence_id, file)
	VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
		COALESCE((SELECT json_extract(value, '$.user.username') FROM meta WHERE key = 'session.json'), ''),
		NEW.kind || '.edit', NEW.nc_id, NEW.text, NEW.base_revision, NEW.evidence_id, NEW.file);
END;
CREATE TRIGGER trail_ca_ready_insert AFTER INSERT ON ca_local WHEN NEW.ready <> 0 BEGIN
	INSERT INTO trail_queue(at, author, kind, nc_id, text, base_revision, evidence_id, file)
	VALUES (NEW.updated_at,
		COALESCE((SELECT json_extract(value, '$.user.username') FROM meta WHERE key = 'session.json'), ''),
		'ca.ready', NEW.nc_id, NEW.text, NEW.nc_base, '', '');
END;
-- A CA taken off "ready" by the server's answer (push.go's backToDraft sets a notice)
-- is not the user's change: only a change that leaves the notice as it was is.
CREATE TRIGGER trail_ca_ready_update AFTER UPDATE OF ready ON ca_local
WHEN (NEW.ready <> 0) IS NOT (OLD.ready <> 0) AND (NEW.ready <> 0 OR NEW.notice IS OLD.notice) BEGIN
	INSERT INTO trail_queue(at, author, kind, nc_id, text, base_revision, evidence_id, file)
	VALUES (NEW.updated_at,
		COALESCE((SELECT json_extract(value, '$.user.username') FROM meta WHERE key = 'session.json'), ''),
		CASE WHEN NEW.ready <> 0 THEN 'ca.ready' ELSE 'ca.unready' END, NEW.nc_id, NEW.text, NEW.nc_base, '', '');
END;
