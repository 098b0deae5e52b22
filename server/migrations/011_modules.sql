-- The portal modules' records (issue #12), mirrored from the customer documents like 003's
-- tables (server/modules/): rewritten per record in the transaction that commits the change,
-- so the portal, the notifications and the overdue check query SQL, never a Y.Doc. Amounts are
-- integers in minor units (src/lib/schema/totals.ts computes the totals).
CREATE TABLE sales (
  id                  TEXT PRIMARY KEY,
  customer_id         TEXT NOT NULL,
  kind                TEXT NOT NULL,
  -- the server's number (sales_numbers), also before the document holds it
  number              INTEGER,
  -- what the document holds: differs from number until the server's write-back is committed
  doc_number          INTEGER,
  subject             TEXT,
  date                TEXT,
  due_date            TEXT,
  currency            TEXT,
  status              TEXT,
  contact_id          TEXT,
  subtotal            INTEGER NOT NULL,
  tax                 INTEGER NOT NULL,
  total               INTEGER NOT NULL,
  decided_at          INTEGER,
  decided_by_contact  TEXT,
  overdue_notified_at INTEGER,
  created_by          TEXT,
  created_at          INTEGER,
  updated_at          INTEGER,
  deleted_at          INTEGER
);
CREATE INDEX sales_customer ON sales (customer_id, kind);
-- The overdue check: sent invoices by due date.
CREATE INDEX sales_due ON sales (kind, status, due_date);

CREATE TABLE sales_lines (
  id          TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL,
  sale_id     TEXT,
  position    INTEGER,
  description TEXT,
  quantity    REAL,
  unit_price  INTEGER,
  tax_rate    REAL,
  net         INTEGER NOT NULL,
  tax         INTEGER NOT NULL
);
CREATE INDEX sales_lines_sale ON sales_lines (customer_id, sale_id);

-- Numbers per kind (INV, EST, CN, PRO), assigned once per document when the server first
-- stores it, never reused (a trashed or removed document keeps its number).
CREATE TABLE sales_sequences (
  kind TEXT PRIMARY KEY,
  last INTEGER NOT NULL
);
CREATE TABLE sales_numbers (
  customer_id  TEXT NOT NULL,
  sale_id      TEXT NOT NULL,
  kind         TEXT NOT NULL,
  number       INTEGER NOT NULL,
  allocated_at INTEGER NOT NULL,
  PRIMARY KEY (customer_id, sale_id),
  UNIQUE (kind, number)
);

CREATE TABLE contracts (
  id          TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL,
  subject     TEXT,
  value       INTEGER,
  currency    TEXT,
  start_date  TEXT,
  end_date    TEXT,
  status      TEXT,
  signed      INTEGER,
  signed_at   INTEGER,
  created_by  TEXT,
  created_at  INTEGER,
  updated_at  INTEGER,
  deleted_at  INTEGER
);
CREATE INDEX contracts_customer ON contracts (customer_id);

CREATE TABLE tickets (
  id                TEXT PRIMARY KEY,
  customer_id       TEXT NOT NULL,
  subject           TEXT,
  status            TEXT,
  contact_id        TEXT,
  opened_by_contact TEXT,
  created_by        TEXT,
  created_at        INTEGER,
  updated_at        INTEGER,
  deleted_at        INTEGER
);
CREATE INDEX tickets_customer ON tickets (customer_id);

CREATE TABLE ticket_replies (
  id          TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL,
  ticket_id   TEXT,
  body        TEXT,
  by_contact  TEXT,
  created_by  TEXT,
  created_at  INTEGER
);
CREATE INDEX ticket_replies_ticket ON ticket_replies (customer_id, ticket_id);

CREATE TABLE projects (
  id            TEXT PRIMARY KEY,
  customer_id   TEXT NOT NULL,
  name          TEXT,
  status        TEXT,
  start_date    TEXT,
  deadline      TEXT,
  tasks_visible INTEGER,
  created_by    TEXT,
  created_at    INTEGER,
  updated_at    INTEGER,
  deleted_at    INTEGER
);
CREATE INDEX projects_customer ON projects (customer_id);

CREATE TABLE tasks (
  id          TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL,
  project_id  TEXT,
  name        TEXT,
  status      TEXT,
  due_date    TEXT,
  created_by  TEXT,
  created_at  INTEGER,
  updated_at  INTEGER,
  deleted_at  INTEGER
);
CREATE INDEX tasks_project ON tasks (customer_id, project_id);

-- Send requests (SPEC §3.2) the server has seen: each is decided once, when first stored,
-- and never again (a replayed update, a reconnect or a restart finds it here).
CREATE TABLE sends (
  id           TEXT NOT NULL,
  customer_id  TEXT NOT NULL,
  target       TEXT,
  record_id    TEXT,
  created_by   TEXT,
  created_at   INTEGER,
  processed_at INTEGER NOT NULL,
  -- how many mails were queued, and the requested ids that got none (not a live contact of
  -- this customer with an e-mail)
  queued       INTEGER NOT NULL,
  refused      TEXT,
  PRIMARY KEY (customer_id, id)
);

-- History rows for module records (issue #12): `record` may now also be a module root
-- (sales, contracts, …), whose record's id is in record_id. SQLite cannot change a CHECK
-- in place, so the table is rebuilt (rows and ids kept).
CREATE TABLE history_new (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  doc        TEXT NOT NULL,
  seq        INTEGER,
  at         INTEGER NOT NULL,
  user_id    TEXT,
  record     TEXT NOT NULL,
  contact_id TEXT,
  record_id  TEXT,
  field      TEXT NOT NULL,
  value      TEXT
);
INSERT INTO history_new (id, doc, seq, at, user_id, record, contact_id, field, value)
  SELECT id, doc, seq, at, user_id, record, contact_id, field, value FROM history;
DROP TABLE history;
ALTER TABLE history_new RENAME TO history;
CREATE INDEX history_doc_at ON history (doc, at);
-- "changed from": the previous value of the same field of the same record.
CREATE INDEX history_field ON history (doc, field, record, id);

-- "Invoice overdue" mails sent (issue #12): once per invoice, ever. The document records it
-- too (overdueNotifiedAt, the server's own change), but this row is the decision.
CREATE TABLE overdue_notices (
  customer_id TEXT NOT NULL,
  sale_id     TEXT NOT NULL,
  notified_at INTEGER NOT NULL,
  queued      INTEGER NOT NULL,
  PRIMARY KEY (customer_id, sale_id)
);
