/**
 * One import run executing (issue #13 item 3): the uploaded file read again as a stream, as
 * it was inspected (run-options.ts), each row written by the row writer (row-writer.ts) with
 * its outcome in the report, and the progress — rows done, bytes read — in SQL every 250 ms,
 * where GET /api/import/<id> finds it. The file goes when the run is over.
 */
import fs from 'node:fs';
import { ImportFileError, openImport } from './import-file.ts';
import type { MatchRule, RunRow } from './import-store.ts';
import { RowWriter, type WriterDeps } from './row-writer.ts';
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

export async function runFile(deps: WriterDeps, job: FileRun): Promise<void> {
	const { store } = deps;
	const { run, userId, rule, file } = job;
	const options = JSON.parse(run.options) as RunOptions;
	let rows = 0;
	let read = 0;
	let opened: Awaited<ReturnType<typeof openImport>> | null = null;
	try {
		opened = await openImport(file, run.format, readOptionsOf(options));
		const layout = options.layout ?? opened.detection.layout;
		const writer = new RowWriter(deps, { id: run.id, userId, rule, layout });
		let reported = Date.now();
		for await (const r of opened.rows) {
			if (job.stopped()) return;
			await writer.write(r);
			rows++;
			read = opened.bytesRead();
			if (Date.now() - reported > PROGRESS_MS) {
				store.progress(run.id, rows, read);
				reported = Date.now();
			}
		}
		store.finish(run.id, 'done', null, rows, run.file_bytes);
	} catch (e) {
		// The file cannot be read on (an unclosed quote): what came before stays, the report says where.
		if (e instanceof ImportFileError && !job.stopped()) {
			if (e.line !== null)
				store.recordRow({ id: run.id, userId }, { line: e.line, outcome: 'refused', reason: e.code });
			store.finish(run.id, 'done', e.code, rows, read);
		} else if (!job.stopped()) {
			console.error('import: run failed:', e);
			store.finish(run.id, 'failed', 'internal', rows, read);
		}
	} finally {
		opened?.close();
		await fs.promises.rm(file, { force: true });
	}
}
