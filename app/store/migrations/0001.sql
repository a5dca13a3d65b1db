-- 1: entities as their wire JSON, with generated columns for what queries filter on.
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE organisation (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE certification (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE contact (id TEXT PRIMARY KEY, data TEXT NOT NULL,
	name TEXT GENERATED ALWAYS AS (json_extract(data, '$.name')) VIRTUAL);
CREATE TABLE certificate (id TEXT PRIMARY KEY, data TEXT NOT NULL,
	year INTEGER GENERATED ALWAYS AS (json_extract(data, '$.year')) VIRTUAL);
CREATE TABLE document (id TEXT PRIMARY KEY, data TEXT NOT NULL,
	date TEXT GENERATED ALWAYS AS (json_extract(data, '$.date')) VIRTUAL);
CREATE TABLE audit (id TEXT PRIMARY KEY, data TEXT NOT NULL,
	date TEXT GENERATED ALWAYS AS (json_extract(data, '$.date')) VIRTUAL);
CREATE TABLE nc (id TEXT PRIMARY KEY, data TEXT NOT NULL,
	audit_id TEXT GENERATED ALWAYS AS (json_extract(data, '$.audit_id')) VIRTUAL,
	stage TEXT GENERATED ALWAYS AS (json_extract(data, '$.stage')) VIRTUAL,
	received TEXT GENERATED ALWAYS AS (json_extract(data, '$.received_date')) VIRTUAL,
	due TEXT GENERATED ALWAYS AS (json_extract(data, '$.due_date')) VIRTUAL);
CREATE INDEX nc_stage ON nc(stage, due);
CREATE INDEX nc_audit ON nc(audit_id);
CREATE TABLE message (id TEXT PRIMARY KEY, data TEXT NOT NULL,
	nc_id TEXT GENERATED ALWAYS AS (json_extract(data, '$.nc_id')) VIRTUAL,
	author_role TEXT GENERATED ALWAYS AS (json_extract(data, '$.author_role')) VIRTUAL,
	sent_at TEXT GENERATED ALWAYS AS (json_extract(data, '$.sent_at')) VIRTUAL);
CREATE INDEX message_nc ON message(nc_id, sent_at);
CREATE INDEX message_sent ON message(sent_at);
CREATE TABLE evidence (id TEXT PRIMARY KEY, data TEXT NOT NULL,
	nc_id TEXT GENERATED ALWAYS AS (json_extract(data, '$.nc_id')) VIRTUAL);
CREATE INDEX evidence_nc ON evidence(nc_id);
CREATE TABLE criterion (id TEXT PRIMARY KEY, data TEXT NOT NULL,
	number TEXT GENERATED ALWAYS AS (json_extract(data, '$.number')) VIRTUAL);
CREATE INDEX criterion_number ON criterion(number);
-- Local only: which analyst messages the user has read.
CREATE TABLE message_read (id TEXT PRIMARY KEY);
-- Local only: files whose content is in the cache, verified by hash.
CREATE TABLE blob (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, fetched_at TEXT NOT NULL);
