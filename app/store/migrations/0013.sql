-- 13: when the user saw each chain alert ('' until then), for the chains page's list of
-- past alerts.
ALTER TABLE chain_alert ADD COLUMN seen_at TEXT NOT NULL DEFAULT '';
