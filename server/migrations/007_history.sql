-- History of customer records (server/history.ts): which fields of which record one committed
-- update changed, by whom and when, written in the transaction that commits the update.
-- No foreign keys: an author's account may be gone, and history must never fail a commit.
CREATE TABLE history (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  doc        TEXT NOT NULL,                 -- the customer id (document name)
  seq        INTEGER,                       -- the update's global sequence, when known
  at         INTEGER NOT NULL,              -- ms since the epoch, when the server committed it
  user_id    TEXT,                          -- NULL: the server's own repair
  record     TEXT NOT NULL CHECK (record IN ('customer', 'contact')),
  contact_id TEXT,                          -- the contact, when record = 'contact'
  field      TEXT NOT NULL,                 -- a field, or created | deleted | managers
  value      TEXT                           -- JSON of the new value, long text cut short
);
CREATE INDEX history_doc_at ON history (doc, at);
