-- The duplicate e-mail rule (SPEC §2, §6): a contact e-mail (trimmed, case-insensitive) used by
-- two live contacts is flagged "duplicate e-mail" on both, by the server as its own change, for
-- a person to resolve. No write ever fails on it. The first contact to claim an address keeps
-- the claim (it is the one the portal signs in) until it lets go of the address.
CREATE TABLE email_claims (
  email_key   TEXT PRIMARY KEY,
  contact_id  TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  claimed_at  INTEGER NOT NULL
);
CREATE INDEX email_claims_customer ON email_claims (customer_id);

-- What the document says of the flag (projected), so the server sees which flags need setting
-- or clearing without loading every document that shares an address.
ALTER TABLE contacts ADD COLUMN duplicate_email INTEGER CHECK (duplicate_email IN (0, 1));
