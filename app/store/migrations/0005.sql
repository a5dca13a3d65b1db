-- 5: covering indexes for the per-NC counts, so that listing 5,000 NCs or opening
-- one does not extract JSON from every message (measured: sync/BENCHMARKS.md).
CREATE INDEX message_unread ON message(nc_id, author_role, id);
CREATE INDEX notice_unseen ON notice(seen, nc_id);
