-- Column mappings chosen on the import mapping screen (issue #13 item 3), per importing user
-- and layout signature (the header row, src/lib/schema/import-fields.ts layoutSignature): a
-- file with the same header maps the same way next time. `columns` is JSON: one target key
-- per column (src/lib/schema/import-mapping.ts).
CREATE TABLE import_mappings (
	user_id TEXT NOT NULL,
	signature TEXT NOT NULL,
	layout TEXT NOT NULL,
	columns TEXT NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (user_id, signature)
);
