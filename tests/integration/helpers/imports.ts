/** Import runs over HTTP for tests (issue #13 item 3): upload, options, run, wait for the report. */
import type { Client } from './http.ts';

export interface ImportReport {
	id: string;
	status: string;
	progress: { rows: number; bytesRead: number; bytes: number };
	counts: { imported: number; updated: number; skipped: number; refused: number };
	rows: { line: number; outcome: string; reason: string | null; detail: Record<string, unknown> | null }[];
	error: string | null;
}

export type Answer = { status: number; body: Record<string, unknown> };

export async function uploadFile(c: Client, bytes: Uint8Array | string, name: string, query = ''): Promise<Answer> {
	const res = await c.request(`/api/import?name=${encodeURIComponent(name)}${query}`, {
		method: 'POST',
		headers: { 'content-type': 'application/octet-stream' },
		body: typeof bytes === 'string' ? bytes : Buffer.from(bytes)
	});
	return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

/** POST /api/import/<id>/options with `body` (an object, or raw text as sent). */
export async function chooseOptions(c: Client, id: string, body: unknown): Promise<Answer> {
	const res = await c.postJson(`/api/import/${encodeURIComponent(id)}/options`, body);
	return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

export async function runReport(c: Client, id: string): Promise<{ status: number; body: ImportReport }> {
	const res = await c.request(`/api/import/${encodeURIComponent(id)}`);
	return { status: res.status, body: (await res.json()) as ImportReport };
}

/** Starts a run and waits until it is over; returns its report. */
export async function runToEnd(c: Client, id: string, rule = 'skip', timeoutMs = 15_000): Promise<ImportReport> {
	const run = await c.postJson(`/api/import/${id}/run`, { rule });
	if (run.status !== 202) throw new Error(`run answered ${run.status}: ${await run.text()}`);
	const t0 = Date.now();
	for (;;) {
		const done = (await runReport(c, id)).body;
		if (done.status !== 'running') return done;
		if (Date.now() - t0 > timeoutMs) throw new Error('the import run did not finish');
		await new Promise((r) => setTimeout(r, 50));
	}
}
