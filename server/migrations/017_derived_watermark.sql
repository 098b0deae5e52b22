-- What is derived from the update log (history rows, the projection and the mails it decides)
-- is written after the acknowledgement, in its own transaction (issue #15): the newest update
-- log seq whose derived rows are written is kept here, in that same transaction. At start the
-- server derives again what the log holds past it (server/sync/derived-recovery.ts). A database
-- from before this migration derived everything inside the commit: it starts caught up.
CREATE TABLE derived_watermark (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	seq INTEGER NOT NULL
);
INSERT INTO derived_watermark (id, seq) SELECT 1, coalesce(max(last_seq), 0) FROM documents;
