/**
 * One import run executing (issue #13 item 3): the uploaded file read again as a stream, as
 * it was inspected (run-options.ts), its rows written by the row writer (row-writer.ts) and
 * their outcomes recorded in the report, and the progress — rows done, bytes read — in SQL
 * where GET /api/import/<id> finds it. The file goes when the run is over.
 *
 * Rows are written in waves of up to WAVE_ROWS: a wave's rows are written side by side, so
 * their document commits are grouped by the commit queue (server/sync/commit-queue.ts) into
 * one SQLite transaction, and their outcomes are recorded in one more; a row that shares a
 * key with one already in the wave (rowKeys: same company, e-mail or source key) starts the
 * next wave, so it finds what the earlier one made. Measured (bench/import.ts, 10,000 rows):
 * one row at a time spent most of its time in the two commits per row, 46–90 s in all on
 * the loaded 2-core bench machine.
 */
import fs from 'node:fs';
import type { RowResult } from './row-draft.ts';
import { ImportFileError, openImport } from './import-file.ts';
import type { MatchRule, RunRow } from './import-store.ts';
import { RowWriter, rowKeys, type WriterDeps } from './row-writer.ts';
import { readOptionsOf, type RunOptions } from './run-options.ts';

export interface FileRun {
	run: RunRow;
	userId: string;
	rule: MatchRule;
	file: string;
	/** The server stops: the run ends where it is (marked interrupted at the next start). */
	stopped(): boolean;
}

const PROGRESS_MS = 250;
const WAVE_ROWS = 1000;

export async function runFile(deps: WriterDeps, job: FileRun): Promise<void> {
	const { store } = deps;
	const { run, userId, rule, file } = job;
	const ref = { id: run.id, userId };
	const options = JSON.parse(run.options) as RunOptions;
	let rows = 0;
	let read = 0;
	let opened: Awaited<ReturnType<typeof openImport>> | null = null;
	let writer: RowWriter | null = null;
	const wave: RowResult[] = [];
	const waveKeys = new Set<string>();
	let reported = Date.now();
	const flush = async () => {
		if (wave.length === 0 || !writer) return;
		const w = writer;
		const records = await Promise.all(wave.map((r) => w.write(r)));
		store.recordRows(ref, records);
		rows += wave.length;
		wave.length = 0;
		waveKeys.clear();
		if (Date.now() - reported > PROGRESS_MS) {
			store.progress(run.id, rows, read);
			reported = Date.now();
		}
	};
	try {
		// Columns named like an additional field map to it as the preview showed (recognise.ts).
		opened = await openImport(file, run.format, { ...readOptionsOf(options), customFields: deps.customFields });
		const layout = options.layout ?? opened.detection.layout;
		writer = new RowWriter(deps, { id: run.id, userId, rule, layout });
		for await (const r of opened.rows) {
			if (job.stopped()) return;
			const keys = rowKeys(layout, r);
			if (wave.length >= WAVE_ROWS || keys.some((k) => waveKeys.has(k))) await flush();
			wave.push(r);
			for (const k of keys) waveKeys.add(k);
			read = opened.bytesRead();
		}
		await flush();
		store.finish(run.id, 'done', null, rows, run.file_bytes);
	} catch (e) {
		// The file cannot be read on (an unclosed quote): what came before stays, the report says where.
		if (e instanceof ImportFileError && !job.stopped()) {
			await flush();
			if (e.line !== null) store.recordRow(ref, { line: e.line, outcome: 'refused', reason: e.code });
			store.finish(run.id, 'done', e.code, rows, read);
		} else if (!job.stopped()) {
			console.error('import: run failed:', e);
			store.finish(run.id, 'failed', 'internal', rows, read);
		}
	} finally {
		writer?.close();
		opened?.close();
		await fs.promises.rm(file, { force: true });
	}
}
