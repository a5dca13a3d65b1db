-- 3: the server's upload limits, pulled so that files are checked offline.
CREATE TABLE limits (id TEXT PRIMARY KEY, data TEXT NOT NULL);
