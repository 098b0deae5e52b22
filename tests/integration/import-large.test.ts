/**
 * [§8] A large CSV is streamed, never held whole (issue #13 item 3): a 64 MB file (3,200 rows
 * of 20 kB, most of each row a column nothing maps) is uploaded from disk as a stream and
 * imported by a server whose JavaScript heap is capped at 96 MB (--max-old-space-size), while
 * its resident memory is sampled. Held whole, the file's text and its lines alone would not fit
 * in that heap (the server would die); streamed, every row is imported. Without the cap V8
 * lets garbage grow with the file before collecting (measured: +80 MB for 32 MB, +115 MB for
 * 64 MB, +151 MB for the bench's 200 MB), which is why the cap, not RSS alone, is the test.
 * The 200 MB variant is a bench row (bench/import.ts, `npm run bench -- --only=import`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client } from './helpers/http.ts';
import { runToEnd } from './helpers/imports.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';

const ROWS = 3200;
const HEAP_MB = 96;
const FILLER = 'y'.repeat(20_000);
let server: TestServer;
let admin: Client;
let dir: string;

const rss = () => {
	const s = fs.readFileSync(`/proc/${server.proc.pid}/status`, 'utf8');
	return Number(/^VmRSS:\s+(\d+) kB/m.exec(s)![1]) * 1024;
};

beforeAll(async () => {
	server = await startServer({ NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}` });
	admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-import-large-'));
});

afterAll(async () => {
	await server?.stop();
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it('[§8] a 64 MB CSV is streamed up and imported by a server with a 96 MB heap: every row in, memory bounded', async () => {
	const file = path.join(dir, 'large.csv');
	const out = fs.openSync(file, 'w');
	fs.writeSync(out, 'First Name,Last Name,E-mail,Internal remark\r\n');
	for (let i = 0; i < ROWS; i++) fs.writeSync(out, `Lara${i},Large${i},lara${i}@large-import.example,${FILLER}\r\n`);
	fs.closeSync(out);
	const bytes = fs.statSync(file).size;
	expect(bytes).toBeGreaterThan(64_000_000);

	// A small import first: what the first run of all loads (code, caches) is not the file's.
	const warm = await admin.request('/api/import?name=warm.csv', {
		method: 'POST',
		headers: { 'content-type': 'application/octet-stream' },
		body: 'First Name,Last Name,E-mail\r\nWim,Warm,wim@large-import.example\r\n'
	});
	expect(warm.status).toBe(201);
	await runToEnd(admin, ((await warm.json()) as { id: string }).id);

	const before = rss();
	let peak = before;
	const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20);
	try {
		const res = await admin.request('/api/import?name=large.csv', {
			method: 'POST',
			headers: { 'content-type': 'application/octet-stream' },
			body: Readable.toWeb(fs.createReadStream(file)) as ReadableStream,
			duplex: 'half'
		} as RequestInit);
		expect(res.status).toBe(201);
		const { id } = (await res.json()) as { id: string };
		const report = await runToEnd(admin, id, 'skip', 50_000);
		expect(report.status).toBe('done');
		expect(report.counts).toEqual({ imported: ROWS, updated: 0, skipped: 0, refused: 0 });
		expect(report.progress.bytesRead).toBe(bytes);
	} finally {
		clearInterval(sampler);
	}
	// Measured: +71 MB for the 64 MB file, within the heap cap.
	expect(peak - before).toBeLessThan(bytes * 1.5);
}, 60_000);
