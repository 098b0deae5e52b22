/**
 * Import runs on the server (issue #13 item 3): an uploaded file (upload.ts streams it to
 * the data directory) is inspected — detection and a preview of its first rows as they will
 * be stored (inspect.ts) — and inspected again as the user changes how it is read or mapped
 * (run-options.ts), then run: read again as a stream, row by row (row-writer.ts), in the
 * server process, yielding to the event loop between rows, with its progress and report in
 * SQL (import-store.ts). The undo of a whole run is one step (import-undo.ts). A mapping the
 * user chose is saved for the header when the run starts (saved-mappings.ts).
 *
 * A run is only ever its uploader's, an admin's included: the file holds whatever the
 * uploader's source held, and an admin reads the records a run wrote through the ordinary
 * lists. Any other id — another user's, a guessed or malformed one — is answered alike, as
 * not found.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { StaffRef } from '../../src/lib/schema/access.ts';
import { parseMappingKeys, type MappingError } from '../../src/lib/schema/import-mapping.ts';
import type { CountryCode } from '../../src/lib/schema/phones.ts';
import type { PortalPermission } from '../../src/lib/schema/records.ts';
import { serverCustomFields } from '../custom-values.ts';
import type { Db } from '../db.ts';
import type { AccessIndex } from '../sync/access-index.ts';
import type { ServerDocs } from '../sync/server-docs.ts';
import { ImportFileError, type Detection, type ReadOptions } from './import-file.ts';
import { ImportMatch } from './import-match.ts';
import { ImportStore, type MatchRule, type ReportRow, type RunRow } from './import-store.ts';
import { undoRun } from './import-undo.ts';
import { readHead, type Head } from './inspect.ts';
import type { PreviewRow } from './preview.ts';
import { runFile } from './run-file.ts';
import { readOptionsOf, storedMapping, type Chosen, type RunOptions } from './run-options.ts';
import { SavedMappings } from './saved-mappings.ts';

export type { PreviewRow };
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
	/** The default region for phone numbers without a country, when one was chosen. */
	region: string | null;
	preview: PreviewRow[];
}

export type ChooseResult =
	| { ok: true; inspected: Inspected }
	| { ok: false; error: 'not_found' | 'not_ready' }
	| { ok: false; error: 'mapping'; reason: MappingError | 'not_csv'; column?: number }
	| { ok: false; error: 'file'; code: string; line: number | null };

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
	/** The workspace's default phone region (settings): an upload that names none starts with it. */
	phoneRegion(): CountryCode | null;
}

export class Imports {
	readonly dir: string;
	private readonly store: ImportStore;
	private readonly match: ImportMatch;
	private readonly saved: SavedMappings;
	/** Runs being written or undone in this process. */
	private readonly busy = new Set<string>();
	private closed = false;

	constructor(private readonly deps: ImportsDeps) {
		this.dir = path.join(deps.dataDir, 'imports');
		fs.mkdirSync(this.dir, { recursive: true });
		this.store = new ImportStore(deps.db);
		this.match = new ImportMatch(deps.db);
		this.saved = new SavedMappings(deps.db);
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
	 * Reads the head of an uploaded file: detection and preview, with the user's saved mapping
	 * for its header. Throws ImportFileError when it cannot be imported (the caller removes the
	 * file; nothing is stored).
	 */
	async inspect(user: StaffRef, id: string, fileName: string, asked: Chosen): Promise<Inspected> {
		// The workspace's default phone region, until the user chooses another (or none).
		const chosen = { ...asked, region: asked.region ?? this.deps.phoneRegion() };
		const file = this.filePath(id);
		const bytes = (await fs.promises.stat(file)).size;
		const head = await readHead(file, fileName, this.readOptions(user, chosen), serverCustomFields(this.deps.db));
		const options = this.optionsOf(head, chosen, head.detection.format === 'csv' && head.detection.saved);
		this.store.create({
			id,
			userId: user.id,
			fileName,
			format: head.format,
			options,
			fileBytes: bytes,
			now: Date.now()
		});
		return { id, fileName, bytes, detection: head.detection, region: chosen.region, preview: head.preview };
	}

	/**
	 * Reads the head of a run not started again as the user chose: another delimiter, encoding
	 * or region, or a mapping (one target key per column, checked against the header as read
	 * now). A file that cannot be read that way is answered with its code and kept: the user
	 * can choose again.
	 */
	async choose(user: StaffRef, id: string, chosen: Chosen): Promise<ChooseResult> {
		const run = isRunId(id) ? this.store.get(id, user.id) : null;
		if (!run) return { ok: false, error: 'not_found' };
		if (run.status !== 'ready') return { ok: false, error: 'not_ready' };
		const file = this.filePath(id);
		try {
			const opts = this.readOptions(user, chosen);
			if (chosen.columns) opts.savedFor = undefined;
			const customFields = serverCustomFields(this.deps.db);
			let head = await readHead(file, run.file_name, opts, customFields);
			if (chosen.columns) {
				if (head.detection.format !== 'csv' || !head.mapping) return { ok: false, error: 'mapping', reason: 'not_csv' };
				const parsed = parseMappingKeys(chosen.columns, head.detection.columns.length);
				if (!parsed.ok) return { ok: false, error: 'mapping', reason: parsed.error, column: parsed.column };
				// An additional field must be one the workspace has (not removed).
				const unknown = parsed.targets.findIndex(
					(t) => t.kind === 'custom' && !customFields.some((f) => f.id === t.id && f.removedAt === null)
				);
				if (unknown >= 0) return { ok: false, error: 'mapping', reason: 'unknown_target', column: unknown };
				const mapping = { layout: head.mapping.layout, signature: head.mapping.signature, columns: parsed.targets };
				head = await readHead(file, run.file_name, { ...opts, mapping }, customFields);
			}
			const saved = head.detection.format === 'csv' && head.detection.saved;
			if (!this.store.setOptions(id, user.id, this.optionsOf(head, chosen, saved)))
				return { ok: false, error: 'not_ready' };
			const inspected = { id, fileName: run.file_name, bytes: run.file_bytes, region: chosen.region };
			return { ok: true, inspected: { ...inspected, detection: head.detection, preview: head.preview } };
		} catch (e) {
			if (e instanceof ImportFileError) return { ok: false, error: 'file', code: e.code, line: e.line };
			// The run started meanwhile and its file is gone.
			if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, error: 'not_ready' };
			throw e;
		}
	}

	private readOptions(user: StaffRef, chosen: Chosen): ReadOptions {
		return {
			delimiter: chosen.delimiter,
			encoding: chosen.encoding,
			defaultRegion: chosen.region,
			savedFor: (signature) => this.saved.get(user.id, signature),
			customFields: serverCustomFields(this.deps.db)
		};
	}

	private optionsOf(head: Head, chosen: Chosen, userMapping: boolean): RunOptions {
		const d = head.detection;
		return {
			delimiter: d.format === 'csv' ? d.delimiter : undefined,
			encoding: chosen.encoding,
			defaultRegion: chosen.region,
			layout: d.layout,
			mapping: userMapping && head.mapping ? storedMapping(head.mapping) : null,
			needsMapping: d.format === 'csv' && d.needsMapping
		};
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

	/**
	 * Starts a ready run in the background; 'not_found' for anything not the user's,
	 * 'not_ready' once started, 'mapping_required' while no column names anyone. The user's
	 * mapping is saved for the header now: the next file with it maps the same way.
	 */
	start(user: StaffRef, id: string, rule: MatchRule): 'started' | 'not_found' | 'not_ready' | 'mapping_required' {
		const run = isRunId(id) ? this.store.get(id, user.id) : null;
		if (!run) return 'not_found';
		const options = JSON.parse(run.options) as RunOptions;
		if (run.status === 'ready' && options.needsMapping) return 'mapping_required';
		if (this.closed || !this.store.start(id, user.id, rule)) return 'not_ready';
		const mapping = readOptionsOf(options).mapping;
		if (mapping) this.saved.save(user.id, mapping);
		this.busy.add(id);
		const writer = {
			docs: this.deps.docs,
			match: this.match,
			store: this.store,
			canRead: (doc: string) => this.deps.access.canRead(user, doc),
			canWrite: (doc: string) => this.deps.access.canWrite(user, doc),
			maxContacts: this.deps.maxContacts,
			permissions: this.deps.defaultPermissions(),
			customFields: serverCustomFields(this.deps.db)
		};
		void runFile(writer, { run, userId: user.id, rule, file: this.filePath(id), stopped: () => this.closed })
			.catch((e: unknown) => console.error('import: run failed:', e))
			.finally(() => this.busy.delete(id));
		return 'started';
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
