-- 6: the hashes of the files that certificates, documents and evidence reference,
-- indexed: written with each pulled row, so that the look for files to download at
-- every sync reads the index, not the JSON of every record.
ALTER TABLE certificate ADD COLUMN file_sha256 TEXT GENERATED ALWAYS AS (json_extract(data, '$.file.sha256')) VIRTUAL;
ALTER TABLE document ADD COLUMN file_sha256 TEXT GENERATED ALWAYS AS (json_extract(data, '$.file.sha256')) VIRTUAL;
ALTER TABLE evidence ADD COLUMN file_sha256 TEXT GENERATED ALWAYS AS (json_extract(data, '$.file.sha256')) VIRTUAL;
CREATE INDEX certificate_file ON certificate(file_sha256);
CREATE INDEX document_file ON document(file_sha256);
CREATE INDEX evidence_file ON evidence(file_sha256);
