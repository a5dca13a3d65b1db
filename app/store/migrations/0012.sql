-- 12: the organisation's responsible person and internal due date of each NC (entity
-- assignment, id = the NC's id, pulled like any other), and the due date an nc.assign
-- outbox entry carries.
CREATE TABLE assignment (id TEXT PRIMARY KEY, data TEXT NOT NULL);
ALTER TABLE outbox ADD COLUMN due TEXT NOT NULL DEFAULT '';
