-- 7: files a colleague's submission sent to FLOCERT were left "attached" on the other
-- computers, counted for a Send the server refuses (no_evidence). Pulls now clear them;
-- this clears those a replica already holds.
DELETE FROM evidence_local WHERE state = 'attached'
	AND id IN (SELECT id FROM evidence WHERE json_extract(data, '$.submitted') = 1);
