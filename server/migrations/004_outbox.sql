-- Transactional outbox (SPEC §3.5): mail is written in the same transaction as the change
-- that causes it and sent later by a worker, exactly once (idempotency_key is unique).
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  kind            TEXT NOT NULL,            -- welcome | set_password | manager_assigned | …
  idempotency_key TEXT NOT NULL UNIQUE,
  customer_id     TEXT,
  contact_id      TEXT,
  to_email        TEXT,
  payload         TEXT NOT NULL DEFAULT '{}',
  status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  next_attempt_at INTEGER,
  created_by      TEXT,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER
);
CREATE INDEX outbox_status ON outbox (status, next_attempt_at);

-- The server's one-time decisions about a contact, made when it first sees the contact:
-- a replayed or re-merged update never decides again (SPEC §5, "exactly once").
CREATE TABLE contacts_seen (
  contact_id    TEXT PRIMARY KEY,
  customer_id   TEXT NOT NULL,
  first_seen_at INTEGER NOT NULL,
  -- 'queued' (welcome e-mail written to the outbox), 'opted_out' (do not send welcome
  -- e-mail was ticked), 'no_email' (nothing to send to)
  welcome       TEXT NOT NULL
);
