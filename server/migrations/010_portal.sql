-- Customer portal sessions (issue #12): a kind of their own, never a staff session. As for
-- staff (001), only the SHA-256 of the token is stored. What the contact signed in with is
-- kept beside it, and every request checks it against the projection: the session ends as
-- soon as the contact or its customer is deleted, the contact's e-mail changes
-- (email_key), or its portal password is set again (credential_at ≠ contact_credentials.updated_at).
CREATE TABLE portal_sessions (
  id            TEXT PRIMARY KEY,
  contact_id    TEXT NOT NULL,
  customer_id   TEXT NOT NULL,
  email_key     TEXT NOT NULL,
  credential_at INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  created_at    INTEGER NOT NULL
);
CREATE INDEX portal_sessions_contact ON portal_sessions (contact_id);
CREATE INDEX portal_sessions_expires ON portal_sessions (expires_at);
