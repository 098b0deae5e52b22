-- Import runs (issue #13 item 3): one row per uploaded file, its counts and progress; the
-- report's rows; what each run created or changed (for its undo, with the previous values
-- of updated fields); and the source keys that make importing the same file again create
-- nothing new. A run id is random (unguessable) and answered only to the user who uploaded.
CREATE TABLE import_runs (
	id TEXT PRIMARY KEY,
	user_id TEXT NOT NULL,
	file_name TEXT NOT NULL,
	format TEXT NOT NULL CHECK (format IN ('csv', 'vcard')),
	-- JSON: the options the file was read with (delimiter, default region, layout).
	options TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('ready', 'running', 'done', 'failed', 'undone')),
	match_rule TEXT CHECK (match_rule IN ('skip', 'update', 'create')),
	file_bytes INTEGER NOT NULL,
	bytes_read INTEGER NOT NULL DEFAULT 0,
	rows_done INTEGER NOT NULL DEFAULT 0,
	imported INTEGER NOT NULL DEFAULT 0,
	updated INTEGER NOT NULL DEFAULT 0,
	skipped INTEGER NOT NULL DEFAULT 0,
	refused INTEGER NOT NULL DEFAULT 0,
	-- Why the run stopped early (the file could not be read on), else null.
	error TEXT,
	created_at INTEGER NOT NULL,
	finished_at INTEGER,
	undone_at INTEGER
);
CREATE INDEX import_runs_user ON import_runs (user_id, created_at);

-- Report rows: every row not simply imported, and imported rows with a warning or fields not kept.
CREATE TABLE import_report (
	run_id TEXT NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
	line INTEGER NOT NULL,
	outcome TEXT NOT NULL CHECK (outcome IN ('imported', 'updated', 'skipped', 'refused')),
	reason TEXT,
	-- JSON: { column?, notKept?: string[], warnings?: { code, column }[] }
	detail TEXT,
	PRIMARY KEY (run_id, line)
);

-- What a run wrote, in order: a record created (a customer, or a contact in a customer that
-- existed), or fields of a record updated with their values before (JSON), for the undo.
CREATE TABLE import_changes (
	run_id TEXT NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	customer_id TEXT NOT NULL,
	contact_id TEXT,
	action TEXT NOT NULL CHECK (action IN ('created', 'updated')),
	previous TEXT,
	PRIMARY KEY (run_id, seq)
);

-- The source key of an imported row (its external id, else its e-mail, else a hash of its
-- content) → the record it produced, per importing user.
CREATE TABLE import_keys (
	user_id TEXT NOT NULL,
	source_key TEXT NOT NULL,
	customer_id TEXT NOT NULL,
	contact_id TEXT,
	run_id TEXT NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
	PRIMARY KEY (user_id, source_key)
);
CREATE INDEX import_keys_run ON import_keys (run_id);
