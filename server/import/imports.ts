/**
 * Import runs on the server (issue #13 item 3): an uploaded file (upload.ts streams it to
 * the data directory) is inspected — detection and a preview of its first rows as they will
 * be stored — then run: read again as a stream, row by row (row-writer.ts), in the server
 * process, yielding to the event loop between rows, with its progress and report in SQL
 * (import-store.ts). The undo of a whole run is one step (import-undo.ts).
 *
 * A run is only ever its uploader's: any other id — another user's, a guessed or malformed
 * one — is answered alike, as not found.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { StaffRef } from '../../src/lib/schema/access.ts';
import type { CountryCode } from '../../src/lib/schema/phones.ts';
import type { PortalPermission } from '../../src/lib/schema/records.ts';
import type { Db } from '../db.ts';
import type { AccessIndex } from '../sync/access-index.ts';
import type { ServerDocs } from '../sync/server-docs.ts';
import type { Delimiter } from './csv.ts';
import { ImportFileError, formatOf, openImport, type Detection, type ReadOptions } from './import-file.ts';
import { ImportMatch } from './import-match.ts';
import { ImportStore, type MatchRule, type ReportRow, type RunRow } from './import-store.ts';
import { undoRun } from './import-undo.ts';
import { previewOf, type PreviewRow } from './preview.ts';
import { RowWriter } from './row-writer.ts';

export type { PreviewRow };
export const PREVIEW_ROWS = 10;
const REPORT_PAGE = 1000;
/** An upload not run within this time expires (its file is removed). */
const READY_FOR_MS = 24 * 3600_000;
/** Uploads one user may have waiting to be run. */
export const MAX_READY_PER_USER = 20;
const RUN_ID_RE = /^[A-Za-z0-9_-]{24}$/;
export const isRunId = (v: unknown): v is string => typeof v === 'string' && RUN_ID_RE.test(v);

export interface Inspected {
	id: string;
	fileName: string;
	bytes: number;
	detection: Detection;
	preview: PreviewRow[];
}

export interface RunReport {
	id: string;
	fileName: string;
	format: 'csv' | 'vcard';
	status: RunRow['status'];
	rule: MatchRule | null;
	progress: { rows: number; bytesRead: number; bytes: number };
	counts: { imported: number; updated: number; skipped: number; refused: number };
	error: string | null;
	rows: ReportRow[];
	/** More report rows after the last one (ask again with ?after=<its line>). */
	more: boolean;
}

export interface ImportsDeps {
	db: Db;
	docs: ServerDocs;
	access: AccessIndex;
	dataDir: string;
	maxContacts: number;
	defaultPermissions(): Partial<Record<PortalPermission, boolean>>;
}

interface RunOptions extends ReadOptions {
	layout?: string;
}

export class Imports {
	readonly dir: string;
	private readonly store: ImportStore;
	private readonly match: ImportMatch;
	/** Runs being written or undone in this process. */
	private readonly busy = new Set<string>();
	private closed = false;

	constructor(private readonly deps: ImportsDeps) {
		this.dir = path.join(deps.dataDir, 'imports');
		fs.mkdirSync(this.dir, { recursive: true });
		this.store = new ImportStore(deps.db);
		this.match = new ImportMatch(deps.db);
		this.store.markInterrupted();
		this.sweep();
		// Files of runs that are over, or of uploads a stop cut short, are not needed again.
		for (const f of fs.readdirSync(this.dir)) {
			const id = f.replace(/\.upload$/, '');
			if (!this.store.isReady(id)) fs.rmSync(path.join(this.dir, f), { force: true, recursive: true });
		}
	}

	/** Uploads not run for a day expire and their files go (called hourly and at start). */
	sweep(now = Date.now()): void {
		for (const id of this.store.expireReady(now - READY_FOR_MS)) fs.rmSync(this.filePath(id), { force: true });
	}

	/** May the user upload another file now (fewer than MAX_READY_PER_USER waiting to be run)? */
	mayUpload(user: StaffRef): boolean {
		return this.store.readyCount(user.id) < MAX_READY_PER_USER;
	}

	newId(): string {
		return randomBytes(18).toString('base64url');
	}

	filePath(id: string): string {
		return path.join(this.dir, `${id}.upload`);
	}

	/**
	 * Reads the head of an uploaded file: detection and preview. Throws ImportFileError when
	 * it cannot be imported (the caller removes the file; nothing is stored).
	 */
	async inspect(
		user: StaffRef,
		id: string,
		fileName: string,
		opts: { delimiter?: Delimiter; defaultRegion?: CountryCode | null }
	): Promise<Inspected> {
		const file = this.filePath(id);
		const bytes = (await fs.promises.stat(file)).size;
		const head = Buffer.alloc(64);
		const fd = await fs.promises.open(file, 'r');
		try {
			await fd.read(head, 0, 64, 0);
		} finally {
			await fd.close();
		}
		const format = formatOf(fileName, head);
		const opened = await openImport(file, format, opts);
		const preview: PreviewRow[] = [];
		try {
			for await (const r of opened.rows) {
				preview.push(previewOf(r));
				if (preview.length >= PREVIEW_ROWS) break;
			}
		} catch (e) {
			// The file cannot be read on from a line (an unclosed quote): the rows before it import.
			if (!(e instanceof ImportFileError) || e.line === null) throw e;
			preview.push({ line: e.line, outcome: 'refused', reason: e.code });
		} finally {
			opened.close();
		}
		const options: RunOptions = {
			delimiter: opened.detection.format === 'csv' ? opened.detection.delimiter : undefined,
			defaultRegion: opts.defaultRegion ?? null,
			layout: opened.detection.layout
		};
		this.store.create({ id, userId: user.id, fileName, format, options, fileBytes: bytes, now: Date.now() });
		return { id, fileName, bytes, detection: opened.detection, preview };
	}

	report(user: StaffRef, id: string, afterLine = 0): RunReport | null {
		const run = isRunId(id) ? this.store.get(id, user.id) : null;
		if (!run) return null;
		const rows = this.store.report(id, afterLine, REPORT_PAGE + 1);
		return {
			id: run.id,
			fileName: run.file_name,
			format: run.format,
			status: run.status,
			rule: run.match_rule,
			progress: { rows: run.rows_done, bytesRead: run.bytes_read, bytes: run.file_bytes },
			counts: { imported: run.imported, updated: run.updated, skipped: run.skipped, refused: run.refused },
			error: run.error,
			rows: rows.slice(0, REPORT_PAGE),
			more: rows.length > REPORT_PAGE
		};
	}

	/** Starts a ready run in the background; 'not_found' for anything not the user's, 'not_ready' once started. */
	start(user: StaffRef, id: string, rule: MatchRule): 'started' | 'not_found' | 'not_ready' {
		const run = isRunId(id) ? this.store.get(id, user.id) : null;
		if (!run) return 'not_found';
		if (this.closed || !this.store.start(id, user.id, rule)) return 'not_ready';
		this.busy.add(id);
		void this.execute(user, run, rule)
			.catch((e: unknown) => console.error('import: run failed:', e))
			.finally(() => this.busy.delete(id));
		return 'started';
	}

	private async execute(user: StaffRef, run: RunRow, rule: MatchRule): Promise<void> {
		const file = this.filePath(run.id);
		const options = JSON.parse(run.options) as RunOptions;
		let rows = 0;
		let read = 0;
		let opened: Awaited<ReturnType<typeof openImport>> | null = null;
		try {
			opened = await openImport(file, run.format, options);
			const writer = new RowWriter(
				{
					docs: this.deps.docs,
					match: this.match,
					store: this.store,
					canRead: (doc) => this.deps.access.canRead(user, doc),
					canWrite: (doc) => this.deps.access.canWrite(user, doc),
					maxContacts: this.deps.maxContacts,
					permissions: this.deps.defaultPermissions()
				},
				{ id: run.id, userId: user.id, rule, layout: options.layout ?? opened.detection.layout }
			);
			let reported = Date.now();
			for await (const r of opened.rows) {
				if (this.closed) return; // the server stops: the run is marked interrupted at the next start
				await writer.write(r);
				rows++;
				read = opened.bytesRead();
				if (Date.now() - reported > 250) {
					this.store.progress(run.id, rows, read);
					reported = Date.now();
				}
			}
			this.store.finish(run.id, 'done', null, rows, run.file_bytes);
		} catch (e) {
			// The file cannot be read on (an unclosed quote): what came before stays, the report says where.
			if (e instanceof ImportFileError && !this.closed) {
				if (e.line !== null)
					this.store.recordRow({ id: run.id, userId: user.id }, { line: e.line, outcome: 'refused', reason: e.code });
				this.store.finish(run.id, 'done', e.code, rows, read);
			} else if (!this.closed) {
				console.error('import: run failed:', e);
				this.store.finish(run.id, 'failed', 'internal', rows, read);
			}
		} finally {
			opened?.close();
			await fs.promises.rm(file, { force: true });
		}
	}

	/** Undoes a whole run as one step (import-undo.ts). */
	async undo(
		user: StaffRef,
		id: string
	): Promise<
		{ result: 'undone'; notUndone: number } | { result: 'not_found' | 'already_undone' | 'busy' | 'not_run' }
	> {
		const run = isRunId(id) ? this.store.get(id, user.id) : null;
		if (!run) return { result: 'not_found' };
		if (run.status === 'undone') return { result: 'already_undone' };
		if (this.busy.has(id) || run.status === 'running') return { result: 'busy' };
		if (run.status === 'ready') return { result: 'not_run' };
		this.busy.add(id);
		try {
			const notUndone = await undoRun(
				{
					docs: this.deps.docs,
					store: this.store,
					canWrite: (doc) => this.deps.access.canWrite(user, doc)
				},
				run.id,
				user.id
			);
			return { result: 'undone', notUndone };
		} finally {
			this.busy.delete(id);
		}
	}

	close(): void {
		this.closed = true;
	}
}
