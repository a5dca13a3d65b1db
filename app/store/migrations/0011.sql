-- 11: the organisation's FairMonitor supply chains (pulled, one row per partner of a
-- product's chain), the chain entries waiting in the outbox, and which alerts about a
-- chain's partners were raised already (once per event, not at every sync).
CREATE TABLE chain_link (id TEXT PRIMARY KEY, data TEXT NOT NULL,
	flo_id TEXT GENERATED ALWAYS AS (json_extract(data, '$.flo_id')) VIRTUAL);
CREATE INDEX chain_link_flo ON chain_link(flo_id);
ALTER TABLE outbox ADD COLUMN chain TEXT NOT NULL DEFAULT '';
CREATE TABLE chain_alert (
	key TEXT PRIMARY KEY, -- flo_id|event|the fact it is about (a status change's time, a validity date)
	flo_id TEXT NOT NULL,
	event TEXT NOT NULL, -- suspended, decertified, expiring
	created_at TEXT NOT NULL
);
