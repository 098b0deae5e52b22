-- Portal passwords of customer contacts. Never in a Yjs document (SPEC §5): set online,
-- straight to the server, stored only as an argon2id hash.
CREATE TABLE contact_credentials (
  contact_id    TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  updated_by    TEXT,
  updated_at    INTEGER NOT NULL
);
