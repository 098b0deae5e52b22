/**
 * Import runs as stored (migration 013): the run, its report rows, what it wrote (for the
 * undo) and the source keys of rows it imported (for a second import of the same file).
 * Every read takes the user: a run is only ever the uploader's.
 */
import type { Db } from '../db.ts';

export type RunStatus = 'ready' | 'running' | 'done' | 'failed' | 'undone';
export type MatchRule = 'skip' | 'update' | 'create';
export type Outcome = 'imported' | 'updated' | 'skipped' | 'refused';
export const OUTCOMES: readonly Outcome[] = ['imported', 'updated', 'skipped', 'refused'];

export interface RunRow {
	id: string;
	user_id: string;
	file_name: string;
	format: 'csv' | 'vcard';
	options: string;
	status: RunStatus;
	match_rule: MatchRule | null;
	file_bytes: number;
	bytes_read: number;
	rows_done: number;
	imported: number;
	updated: number;
	skipped: number;
	refused: number;
	error: string | null;
	created_at: number;
	finished_at: number | null;
	undone_at: number | null;
}

export interface ReportRow {
	line: number;
	outcome: Outcome;
	reason: string | null;
	detail: Record<string, unknown> | null;
}

export interface ChangeRow {
	seq: number;
	customer_id: string;
	contact_id: string | null;
	action: 'created' | 'updated';
	previous: string | null;
}

/** What a row did, as the report and the undo keep it. */
export interface RecordedRow {
	line: number;
	outcome: Outcome;
	reason?: string | null;
	detail?: Record<string, unknown> | null;
	changes?: { customerId: string; contactId: string | null; action: 'created' | 'updated'; previous?: unknown }[];
	key?: { key: string; target: KeyTarget } | null;
}

export interface KeyTarget {
	customerId: string;
	contactId: string | null;
}

function prepare(db: Db) {
	return {
		insertRun: db.prepare(
			`INSERT INTO import_runs (id, user_id, file_name, format, options, status, file_bytes, created_at)
			 VALUES (@id, @user_id, @file_name, @format, @options, 'ready', @file_bytes, @created_at)`
		),
		run: db.prepare('SELECT * FROM import_runs WHERE id = ? AND user_id = ?'),
		ready: db.prepare(`SELECT 1 FROM import_runs WHERE id = ? AND status = 'ready'`),
		start: db.prepare(
			`UPDATE import_runs SET status = 'running', match_rule = ? WHERE id = ? AND user_id = ? AND status = 'ready'`
		),
		setOptions: db.prepare(`UPDATE import_runs SET options = ? WHERE id = ? AND user_id = ? AND status = 'ready'`),
		progress: db.prepare('UPDATE import_runs SET rows_done = ?, bytes_read = ? WHERE id = ?'),
		count: {
			imported: db.prepare('UPDATE import_runs SET imported = imported + ? WHERE id = ?'),
			updated: db.prepare('UPDATE import_runs SET updated = updated + ? WHERE id = ?'),
			skipped: db.prepare('UPDATE import_runs SET skipped = skipped + ? WHERE id = ?'),
			refused: db.prepare('UPDATE import_runs SET refused = refused + ? WHERE id = ?')
		} satisfies Record<Outcome, unknown>,
		finish: db.prepare(
			`UPDATE import_runs SET status = ?, error = ?, finished_at = ?, rows_done = ?, bytes_read = ? WHERE id = ?`
		),
		interrupted: db.prepare(
			`UPDATE import_runs SET status = 'failed', error = 'interrupted', finished_at = ? WHERE status = 'running'`
		),
		expire: db.prepare(
			`UPDATE import_runs SET status = 'failed', error = 'expired', finished_at = ? WHERE status = 'ready' AND created_at < ?
			 RETURNING id`
		),
		readyOf: db.prepare(`SELECT count(*) FROM import_runs WHERE user_id = ? AND status = 'ready'`),
		undone: db.prepare(`UPDATE import_runs SET status = 'undone', undone_at = ? WHERE id = ?`),
		report: db.prepare(
			`INSERT OR REPLACE INTO import_report (run_id, line, outcome, reason, detail) VALUES (?, ?, ?, ?, ?)`
		),
		reportPage: db.prepare(
			'SELECT line, outcome, reason, detail FROM import_report WHERE run_id = ? AND line > ? ORDER BY line LIMIT ?'
		),
		change: db.prepare(
			`INSERT INTO import_changes (run_id, seq, customer_id, contact_id, action, previous)
			 VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM import_changes WHERE run_id = ?), ?, ?, ?, ?)`
		),
		changes: db.prepare(
			'SELECT seq, customer_id, contact_id, action, previous FROM import_changes WHERE run_id = ? ORDER BY seq DESC'
		),
		key: db.prepare('SELECT customer_id, contact_id FROM import_keys WHERE user_id = ? AND source_key = ?'),
		setKey: db.prepare(
			// The first run that met a source key keeps it (its undo drops it); a stale key is dropped first.
			`INSERT INTO import_keys (user_id, source_key, customer_id, contact_id, run_id) VALUES (?, ?, ?, ?, ?)
			 ON CONFLICT (user_id, source_key) DO NOTHING`
		),
		dropKey: db.prepare('DELETE FROM import_keys WHERE user_id = ? AND source_key = ?'),
		dropRunKeys: db.prepare('DELETE FROM import_keys WHERE run_id = ?')
	};
}

export class ImportStore {
	private readonly s: ReturnType<typeof prepare>;

	constructor(private readonly db: Db) {
		this.s = prepare(db);
	}

	create(run: {
		id: string;
		userId: string;
		fileName: string;
		format: 'csv' | 'vcard';
		options: unknown;
		fileBytes: number;
		now: number;
	}): void {
		this.s.insertRun.run({
			id: run.id,
			user_id: run.userId,
			file_name: run.fileName,
			format: run.format,
			options: JSON.stringify(run.options),
			file_bytes: run.fileBytes,
			created_at: run.now
		});
	}

	/** The user's run, or null (another user's run is as absent as one that never was). */
	get(id: string, userId: string): RunRow | null {
		return (this.s.run.get(id, userId) as RunRow | undefined) ?? null;
	}

	/** Is there a run with this id waiting to be run (its file is still needed)? */
	isReady(id: string): boolean {
		return this.s.ready.get(id) !== undefined;
	}

	/** Marks a ready run running; false when it is not ready (started already, or not the user's). */
	start(id: string, userId: string, rule: MatchRule): boolean {
		return this.s.start.run(rule, id, userId).changes === 1;
	}

	/** New read options for a run not started; false when it is not (or not the user's). */
	setOptions(id: string, userId: string, options: unknown): boolean {
		return this.s.setOptions.run(JSON.stringify(options), id, userId).changes === 1;
	}

	progress(id: string, rowsDone: number, bytesRead: number): void {
		this.s.progress.run(rowsDone, bytesRead, id);
	}

	finish(id: string, status: 'done' | 'failed', error: string | null, rowsDone: number, bytesRead: number): void {
		this.s.finish.run(status, error, Date.now(), rowsDone, bytesRead, id);
	}

	/** Uploads never run since `before` expire; returns their ids (their files can go). */
	expireReady(before: number): string[] {
		return this.s.expire.pluck().all(Date.now(), before) as string[];
	}

	/** Uploads of the user waiting to be run. */
	readyCount(userId: string): number {
		return this.s.readyOf.pluck().get(userId) as number;
	}

	/** Runs a stopped process left "running": failed, their written rows kept (and undoable). */
	markInterrupted(): void {
		this.s.interrupted.run(Date.now());
	}

	/**
	 * One row's outcome, with what it wrote and its key, in one transaction: the report never
	 * shows a row whose record the undo does not know.
	 */
	recordRow(run: { id: string; userId: string }, row: RecordedRow): void {
		this.recordRows(run, [row]);
	}

	/** Rows' outcomes in one transaction (a run records a wave of rows at once: one commit, not one per row). */
	recordRows(run: { id: string; userId: string }, rows: readonly RecordedRow[]): void {
		this.db.transaction(() => {
			const counts = new Map<Outcome, number>();
			for (const row of rows) {
				counts.set(row.outcome, (counts.get(row.outcome) ?? 0) + 1);
				const detail = row.detail && Object.keys(row.detail).length > 0 ? JSON.stringify(row.detail) : null;
				if (row.outcome !== 'imported' || detail !== null)
					this.s.report.run(run.id, row.line, row.outcome, row.reason ?? null, detail);
				for (const c of row.changes ?? [])
					this.s.change.run(
						run.id,
						run.id,
						c.customerId,
						c.contactId,
						c.action,
						c.previous === undefined ? null : JSON.stringify(c.previous)
					);
				if (row.key)
					this.s.setKey.run(run.userId, row.key.key, row.key.target.customerId, row.key.target.contactId, run.id);
			}
			for (const [outcome, n] of counts) this.s.count[outcome].run(n, run.id);
		})();
	}

	report(id: string, afterLine: number, limit: number): ReportRow[] {
		const rows = this.s.reportPage.all(id, afterLine, limit) as {
			line: number;
			outcome: Outcome;
			reason: string | null;
			detail: string | null;
		}[];
		return rows.map((r) => ({ ...r, detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null }));
	}

	/** What the run wrote, newest first (undone in that order). */
	changes(id: string): ChangeRow[] {
		return this.s.changes.all(id) as ChangeRow[];
	}

	keyTarget(userId: string, key: string): KeyTarget | null {
		const r = this.s.key.get(userId, key) as { customer_id: string; contact_id: string | null } | undefined;
		return r ? { customerId: r.customer_id, contactId: r.contact_id } : null;
	}

	dropKey(userId: string, key: string): void {
		this.s.dropKey.run(userId, key);
	}

	/** The run is undone: its keys go (importing the file again creates its records again). */
	markUndone(id: string): void {
		this.db.transaction(() => {
			this.s.dropRunKeys.run(id);
			this.s.undone.run(Date.now(), id);
		})();
	}
}
