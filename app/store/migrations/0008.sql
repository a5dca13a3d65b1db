-- 8: the copy of the operator directory (every Fairtrade operator's public facts),
-- pulled after its own seq (meta directory_after) and searched offline. Chains of
-- partners refer to operators by flo_id.
CREATE TABLE operators (
	flo_id            TEXT PRIMARY KEY,
	name              TEXT NOT NULL,
	country           TEXT NOT NULL,
	role              TEXT NOT NULL,
	products          TEXT NOT NULL, -- ' coffee cocoa ': a product is found as ' coffee '
	status            TEXT NOT NULL,
	valid_until       TEXT NOT NULL,
	status_changed_at TEXT NOT NULL,
	seq               INTEGER NOT NULL,
	folded            TEXT NOT NULL, -- FLO ID and name in lower case without accents: parts of words
	checked_at        TEXT NOT NULL DEFAULT '' -- when a status check last asked the server (RFC 3339)
);
CREATE INDEX operators_country ON operators(country, name);
CREATE INDEX operators_status ON operators(status);
CREATE INDEX operators_name ON operators(name);
-- Words of names and FLO IDs; docid is the operator's rowid. FTS4: the SQLite of
-- go-sqlite3 has it built in (FTS5 needs a build tag on every build).
CREATE VIRTUAL TABLE operators_fts USING fts4(name, flo_id, tokenize=unicode61 "remove_diacritics=2", prefix="1,2,3");
