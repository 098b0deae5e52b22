-- Per-record access (src/lib/schema/access.ts). The access level and managers themselves are
-- in the customers and customer_managers projection; this records the newest commit that
-- changed who may read a document, so a device's catch-up since an older sequence gets the
-- whole document (access gained) or its removal (access lost) instead of a diff.
CREATE TABLE document_access (
  doc         TEXT PRIMARY KEY,
  changed_seq INTEGER NOT NULL
);
