-- 14: the NCs' ids in the order of their step's deadline from the index alone (send
-- lists the thousands of NCs it leaves behind; reading each NC's JSON to sort them
-- cost more than the rest of a send). The evidence due date becomes a column, and
-- nc_stage, kept as the prefix it was, also holds what the order reads.
ALTER TABLE nc ADD COLUMN evidence_due TEXT GENERATED ALWAYS AS (json_extract(data, '$.evidence_due_date')) VIRTUAL;
DROP INDEX nc_stage;
CREATE INDEX nc_stage ON nc(stage, due, evidence_due, received, id);
