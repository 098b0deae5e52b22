-- E-mail delivery (issue #11, SPEC §3.5): the outbox gains what the SMTP worker needs.
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt (rows, ids and
-- the AUTOINCREMENT sequence kept).
--   message_id       fixed when the row is inserted (the column default), so a resend after a
--                    crash between the server's 250 and the 'sent' mark carries the same one
--                    and the receiving side can drop the duplicate; existing rows get one here
--   next_attempt_at  0 = due now; set by backoff after a temporary failure
--   domain           the recipient's domain: backoff is per domain (one slow domain does not
--                    hold the rest)
--   rendered         JSON of the mail as it left (from, to, subject, html, text, locale); a
--                    set-password link is stored redacted (only a hash of its token is kept)
--   decision         why a row was not sent: template_disabled, contact_deleted, …
--   status 'skipped' the send-time decision said no (shown in the admin outbox view)
--   retried_at       an admin retried the row; the give-up window counts from here
CREATE TABLE outbox_new (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  kind            TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  customer_id     TEXT,
  contact_id      TEXT,
  to_email        TEXT,
  payload         TEXT NOT NULL DEFAULT '{}',
  status          TEXT NOT NULL DEFAULT 'queued'
                  CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'skipped')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  created_by      TEXT,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER,
  message_id      TEXT NOT NULL UNIQUE DEFAULT ('<' || lower(hex(randomblob(16))) || '@fieldbook.mail>'),
  domain          TEXT GENERATED ALWAYS AS (lower(trim(substr(to_email, instr(to_email, '@') + 1)))) VIRTUAL,
  rendered        TEXT,
  decision        TEXT,
  sending_at      INTEGER,
  retried_at      INTEGER  -- an admin's retry: the give-up window starts again from here
);
INSERT INTO outbox_new (id, kind, idempotency_key, customer_id, contact_id, to_email, payload, status, attempts,
  last_error, next_attempt_at, created_by, created_at, sent_at)
  SELECT id, kind, idempotency_key, customer_id, contact_id, to_email, payload, status, attempts,
  last_error, coalesce(next_attempt_at, 0), created_by, created_at, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
-- The worker's "what is due" query; the admin view's filters and keyset pages (id DESC).
CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
CREATE INDEX outbox_status_id ON outbox (status, id);
CREATE INDEX outbox_kind_id ON outbox (kind, id);
CREATE INDEX outbox_domain ON outbox (domain, status);
-- One welcome mail per address (SPEC §2 with the duplicate e-mail rule).
CREATE INDEX outbox_welcome_address ON outbox (lower(trim(to_email))) WHERE kind = 'welcome';

-- The contact's language for the mail it receives (NULL: the installation's default).
ALTER TABLE contacts ADD COLUMN language TEXT;

-- Admin overrides of the built-in templates (src/lib/schema/mail/): one per kind and language.
CREATE TABLE mail_templates (
  kind       TEXT NOT NULL,
  locale     TEXT NOT NULL,
  subject    TEXT NOT NULL,
  body       TEXT NOT NULL,
  updated_by TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (kind, locale)
);
-- Enabled unless a row says otherwise (SPEC §3.4: templates can be disabled one by one).
CREATE TABLE mail_kinds (
  kind       TEXT PRIMARY KEY,
  enabled    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  updated_by TEXT,
  updated_at INTEGER NOT NULL
);
-- 'signature' (the one general signature), 'default_language' (the installation's).
CREATE TABLE mail_settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Set-password links (SPEC §2): only the SHA-256 of the random token is stored. A link is
-- issued when its mail is sent (outbox_id) and dies when used, when it expires (48 h), when a
-- newer link of another request is issued, or when the contact is deleted, changes e-mail
-- (email_key no longer matches) or gets a new password.
CREATE TABLE set_password_tokens (
  token_hash     TEXT PRIMARY KEY,
  contact_id     TEXT NOT NULL,
  outbox_id      INTEGER,
  email_key      TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL,
  used_at        INTEGER,
  invalidated_at INTEGER
);
CREATE INDEX set_password_tokens_contact ON set_password_tokens (contact_id);

-- contacts_seen.welcome (004) may now also be 'deleted' (the contact or its customer was in the
-- trash when first seen) or 'duplicate_address' (another contact's welcome went to the address).
