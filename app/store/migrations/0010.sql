-- 10: change requests (contact details, master data) as pulled: pending until the
-- analyst decides. A decision arriving on a request the replica held as pending is news
-- for the user: a notice (kind request, stage the new status), as for an NC's decision.
-- A request first met already decided (the first sync) is the past: no notice.
CREATE TABLE change_request (id TEXT PRIMARY KEY, data TEXT NOT NULL,
	status TEXT GENERATED ALWAYS AS (json_extract(data, '$.status')) VIRTUAL);
CREATE TRIGGER change_request_decided AFTER UPDATE OF data ON change_request
WHEN json_extract(OLD.data, '$.status') = 'pending' AND json_extract(NEW.data, '$.status') <> 'pending'
BEGIN
	INSERT INTO notice(nc_id, kind, stage, created_at)
	VALUES ('', 'request', json_extract(NEW.data, '$.status'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
END;
