-- 15: the organisation's accounts (entity member, id = the username, pulled like any
-- other), so that an NC can be assigned to a person of the organisation offline.
CREATE TABLE member (id TEXT PRIMARY KEY, data TEXT NOT NULL);
