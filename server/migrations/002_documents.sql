-- Yjs documents (one per customer, plus workspace settings): an append-only update log with a
-- global change sequence, compacted into one snapshot per document.
CREATE TABLE documents (
  name         TEXT PRIMARY KEY,
  snapshot     BLOB,
  -- every update with seq <= snapshot_seq is folded into snapshot and deleted from the log
  snapshot_seq INTEGER NOT NULL DEFAULT 0,
  -- the newest change to this document (catch-up asks "what changed since seq N")
  last_seq     INTEGER NOT NULL DEFAULT 0,
  log_count    INTEGER NOT NULL DEFAULT 0,
  created_by   TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX documents_last_seq ON documents (last_seq);

CREATE TABLE document_updates (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  doc        TEXT NOT NULL REFERENCES documents (name) ON DELETE CASCADE,
  data       BLOB NOT NULL,
  user_id    TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX document_updates_doc ON document_updates (doc, seq);
