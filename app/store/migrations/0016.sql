-- 16: how many rows each synced entity has, kept by triggers as rows come and go, so
-- that reading the counts costs the same on any replica: every sync prints some, and
-- COUNT(*) reads a whole index (20,000 messages on a large organisation's replica, the
-- largest part of an idle sync's work on it). An upsert that updates fires no INSERT
-- trigger. A new entity's table gets its row and triggers in the migration that creates it.
CREATE TABLE entity_count (entity TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO entity_count(entity, n)
	SELECT 'organisation', COUNT(*) FROM organisation
	UNION ALL SELECT 'certification', COUNT(*) FROM certification
	UNION ALL SELECT 'contact', COUNT(*) FROM contact
	UNION ALL SELECT 'certificate', COUNT(*) FROM certificate
	UNION ALL SELECT 'document', COUNT(*) FROM document
	UNION ALL SELECT 'audit', COUNT(*) FROM audit
	UNION ALL SELECT 'nc', COUNT(*) FROM nc
	UNION ALL SELECT 'message', COUNT(*) FROM message
	UNION ALL SELECT 'evidence', COUNT(*) FROM evidence
	UNION ALL SELECT 'criterion', COUNT(*) FROM criterion
	UNION ALL SELECT 'ca_draft', COUNT(*) FROM ca_draft
	UNION ALL SELECT 'limits', COUNT(*) FROM limits
	UNION ALL SELECT 'change_request', COUNT(*) FROM change_request
	UNION ALL SELECT 'chain_link', COUNT(*) FROM chain_link
	UNION ALL SELECT 'assignment', COUNT(*) FROM assignment
	UNION ALL SELECT 'member', COUNT(*) FROM member;
CREATE TRIGGER organisation_counted AFTER INSERT ON organisation BEGIN UPDATE entity_count SET n = n + 1 WHERE entity = 'organisation'; END;
CREATE TRIGGER organisation_uncounted AFTER DELETE ON organisation BEGIN UPDATE entity_count SET n = n - 1 WHERE entity = 'organisation'; END;
CREATE TRIGGER certification_counted AFTER INSERT ON certification BEGIN UPDATE entity_count SET n = n + 1 WHERE entity = 'certification'; END;
CREATE TRIGGER certification_uncounted AFTER DELETE ON certification BEGIN UPDATE entity_count SET n = n - 1 WHERE entity = 'certification'; END;
CREATE TRIGGER contact_counted AFTER INSERT ON contact BEGIN UPDATE entity_count SET n = n + 1 WHERE entity = 'contact'; END;
CREATE TRIGGER contact_uncounted AFTER DELETE ON contact BEGIN UPDATE entity_count SET n = n - 1 WHERE entity = 'contact'; END;
CREATE TRIGGER certificate_counted AFTER INSERT ON certificate BEGIN UPDATE entity_count SET n = n + 1 WHERE entity = 'certificate'; END;
CREATE TRIGGER certificate_uncounted AFTER DELETE ON certificate BEGIN UPDATE entity_count SET n = n - 1 WHERE entity = 'certificate'; END;
CREATE TRIGGER document_counted AFTER INSERT ON document BEGIN UPDATE entity_count SET n = n + 1 WHERE entity = 'document'; END;
CREATE TRIGGER document_uncounted AFTER DELETE ON document BEGIN UPDATE entity_count SET n = n - 1 WHERE entity = 'document'; END;
CREATE TRIGGER audit_counted AFTER INSERT ON audit BEGIN UPDATE entity_count SET n = n + 1 WHERE entity = 'audit'; END;
CREATE TRIGGER audit_uncounted AFTER DELETE ON audit BEGIN UPDATE entity_count SET n = n - 1 WHERE entity = 'audit'; END;
CREATE TRIGGER nc_counted AFTER INSERT ON nc BEGIN UPDATE entity_count SET n = n + 1 WHERE entity = 'nc'; END;
CREATE TRIGGER nc_uncounted AFTER DELETE ON nc BEGIN UPDATE entity_count SET n = n - 1 WHERE entity = 'nc'; END;
CREATE TRIGGER message_counted AFTER INSERT ON message BEGIN UPDATE entity_count SET n = n + 1 WHERE entity = 'message'; END;
CREATE TRIGGER message_uncounted AFTER DELETE ON message BEGIN UPDATE entity_count SET n = n - 1 WHERE entity = 'message'; END;
CREATE TRIGGER evidence_counted AFTER INSERT ON evidence BEGIN UPDATE entity_count SET n = n + 1 WHERE entity = 'evidence'; END;
CREATE TRIGGER evidence_uncounted AFTER DELETE ON evidence BEGIN UPDATE entity_count SET n = n - 1 WHERE entity = 'evidence'; END;
CREATE TRIGGER criterion_counted AFTER INSERT ON criterion BEGIN UPDATE entity_count SET n = n + 1 WHERE entity = 'criterion'; END;
CREATE TRIGGER criterion_uncounted AFTER DELETE ON criterion BEGIN UPDATE entity_count SET n = n - 1 WHERE entity = 'criterion'; END;
CREATE TRIGGER ca_draft_counted AFTER INSERT ON ca_draft BEGIN UPDATE entity_count SET n = n + 1 WHERE entity = 'ca_draft'; END;
CREATE TRIGGER ca_draft_uncounted AFTER DELETE ON ca_draft BEGIN UPDATE entity_count SET n = n - 1 WHERE entity = 'ca_draft'; END;
CREATE TRIGGER limits_counted AFTER INSERT ON limits BEGIN UPDATE entity_count SET n = n + 1 WHERE entity = 'limits'; END;
CREATE TRIGGER limits_uncounted AFTER DELETE ON limits BEGIN UPDATE entity_count SET n = n - 1 WHERE entity = 'limits'; END;
CREATE TRIGGER change_request_counted AFTER INSERT ON change_request BEGIN UPDATE entity_count SET n = n + 1 WHERE entity = 'change_request'; END;
CREATE TRIGGER change_request_uncounted AFTER DELETE ON change_request BEGIN UPDATE entity_count SET n = n - 1 WHERE entity = 'change_request'; END;
CREATE TRIGGER chain_link_counted AFTER INSERT ON chain_link BEGIN UPDATE entity_count SET n = n + 1 WHERE entity = 'chain_link'; END;
CREATE TRIGGER chain_link_uncounted AFTER DELETE ON chain_link BEGIN UPDATE entity_count SET n = n - 1 WHERE entity = 'chain_link'; END;
CREATE TRIGGER assignment_counted AFTER INSERT ON assignment BEGIN UPDATE entity_count SET n = n + 1 WHERE entity = 'assignment'; END;
CREATE TRIGGER assignment_uncounted AFTER DELETE ON assignment BEGIN UPDATE entity_count SET n = n - 1 WHERE entity = 'assignment'; END;
CREATE TRIGGER member_counted AFTER INSERT ON member BEGIN UPDATE entity_count SET n = n + 1 WHERE entity = 'member'; END;
CREATE TRIGGER member_uncounted AFTER DELETE ON member BEGIN UPDATE entity_count SET n = n - 1 WHERE entity = 'member'; END;
