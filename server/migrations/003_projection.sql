-- SQL mirror of customer documents for search, the portal and e-mail (server/projection.ts).
-- The Yjs documents stay the source of truth; these rows are rewritten from a document in the
-- same transaction that commits its updates. Missing fields are NULL; flags are 0/1, NULL when
-- the document never set them (readers pick the default: no portal module, SPEC §2).
CREATE TABLE customers (
  id                 TEXT PRIMARY KEY, -- the document name
  kind               TEXT NOT NULL CHECK (kind IN ('company', 'person')),
  company_name       TEXT,
  contact_type_id    TEXT,
  email              TEXT,
  phone              TEXT,
  city               TEXT,
  country            TEXT,
  access             TEXT,
  primary_contact_id TEXT,
  created_by         TEXT,
  created_at         INTEGER,
  updated_at         INTEGER,
  deleted_at         INTEGER
);
CREATE INDEX customers_deleted_at ON customers (deleted_at);

-- No foreign key to users: a manager id in a document may name an account that is gone, and a
-- projection must never fail the commit it runs in.
CREATE TABLE customer_managers (
  customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  user_id     TEXT NOT NULL,
  PRIMARY KEY (customer_id, user_id)
);
CREATE INDEX customer_managers_user ON customer_managers (user_id);

CREATE TABLE contacts (
  id                     TEXT PRIMARY KEY,
  customer_id            TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  first_name             TEXT,
  last_name              TEXT,
  position               TEXT,
  email                  TEXT,
  -- lower(trim(email)), NULL when empty: the key of the duplicate e-mail rule (SPEC §2)
  email_key              TEXT,
  phone                  TEXT,
  is_primary             INTEGER NOT NULL CHECK (is_primary IN (0, 1)),
  do_not_send_welcome    INTEGER CHECK (do_not_send_welcome IN (0, 1)),
  perm_invoices          INTEGER CHECK (perm_invoices IN (0, 1)),
  perm_estimates         INTEGER CHECK (perm_estimates IN (0, 1)),
  perm_contracts         INTEGER CHECK (perm_contracts IN (0, 1)),
  perm_proposals         INTEGER CHECK (perm_proposals IN (0, 1)),
  perm_support           INTEGER CHECK (perm_support IN (0, 1)),
  perm_projects          INTEGER CHECK (perm_projects IN (0, 1)),
  notify_invoice         INTEGER CHECK (notify_invoice IN (0, 1)),
  notify_credit_note     INTEGER CHECK (notify_credit_note IN (0, 1)),
  notify_estimate        INTEGER CHECK (notify_estimate IN (0, 1)),
  notify_tickets         INTEGER CHECK (notify_tickets IN (0, 1)),
  notify_project         INTEGER CHECK (notify_project IN (0, 1)),
  notify_contract        INTEGER CHECK (notify_contract IN (0, 1)),
  notify_task            INTEGER CHECK (notify_task IN (0, 1)),
  created_at             INTEGER,
  deleted_at             INTEGER
);
CREATE INDEX contacts_email_key ON contacts (email_key);
CREATE INDEX contacts_customer ON contacts (customer_id);
