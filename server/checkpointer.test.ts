/**
 * WAL checkpoints in a worker thread (checkpointer.ts): the server's connection no longer
 * checkpoints on commit (its writes stay in the log), the worker moves them into the database
 * file, and the log starts over instead of growing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startCheckpointer } from './checkpointer.ts';
import { openDatabase, type Db } from './db.ts';

let dir: string;
let file: string;
let db: Db;

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-checkpoint-'));
	file = path.join(dir, 'fieldbook.sqlite');
	db = openDatabase(file);
	db.exec('CREATE TABLE t (v BLOB)');
});

afterEach(() => {
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

/** ~4 MB in 1,000 commits: past SQLite's own checkpoint threshold (1,000 pages) several times. */
function write(): void {
	const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
	for (let i = 0; i < 1000; i++) insert.run(Buffer.alloc(4000, i % 256));
}

const size = (f: string) => fs.statSync(f).size;
const until = async (cond: () => boolean, ms = 5000) => {
	const end = Date.now() + ms;
	while (!cond()) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 20));
	}
};

it('the commits do not checkpoint; the worker does, and the log starts over', async () => {
	const idle = startCheckpointer(db, 3_600_000);
	const before = size(file);
	write();
	await idle.stop();
	expect(size(file), 'nothing checkpointed by the commits themselves').toBe(before);
	const wal = size(`${file}-wal`);
	expect(wal).toBeGreaterThan(4_000_000);

	const checkpointer = startCheckpointer(db, 50);
	try {
		await until(() => checkpointer.count > 0 && size(file) > before + 3_000_000);
		// Checkpointed whole: the next writes reuse the log from its start instead of growing it.
		await new Promise((r) => setTimeout(r, 150));
		write();
		expect(size(`${file}-wal`)).toBeLessThanOrEqual(wal);
		expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(2000);
	} finally {
		await checkpointer.stop();
	}
});
