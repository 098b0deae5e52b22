/**
 * Derived work after the acknowledgement (derived.ts): history rows and the projection follow
 * the commits they derive from within the lag window, a busy document is projected once per
 * window, a reader's catch-up writes them at once, a failure writes nothing (and is retried),
 * and compaction waits for them. Real SQLite, HistoryLog and projection; no sockets.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initCustomer, updateCustomer } from '../../src/lib/schema/customer-doc.ts';
import { describeTransaction } from '../../src/lib/schema/history.ts';
import { projectDocument } from '../app.ts';
import { openDatabase, type Db } from '../db.ts';
import { HistoryLog } from '../history.ts';
import type { Project } from './commit/projection-step.ts';
import type { QueuedUpdate } from './commit-queue.ts';
import { Derived } from './derived.ts';
import { DerivedWatermark } from './derived-watermark.ts';

const CUSTOMER = '0190a3c4-0000-7000-8000-000000000001';
const ADA = 'user-ada';
const BEN = 'user-ben';

let dir: string;
let db: Db;
let clock: number;
let projected: string[];
let failProjection: boolean;
let flushes: number;
let doc: Y.Doc;
let seq: number;

function derived(lagMs: number): Derived {
	const project = projectDocument(db);
	const counting: Project = (name, d, by, touched) => {
		if (failProjection) throw new Error('disk full');
		projected.push(name);
		project(name, d, by, touched);
	};
	return new Derived({
		watermark: new DerivedWatermark(db),
		history: new HistoryLog(db),
		project: counting,
		transaction: (fn) => db.transaction(fn)(),
		doc: () => ({ doc, temporary: false }),
		flush: () => void flushes++,
		lagMs,
		now: () => clock
	});
}

/** One committed update of the customer by `user`, as the commit queue hands it over. */
function edit(user: string, fn: (d: Y.Doc) => void): QueuedUpdate {
	let changes: QueuedUpdate['changes'];
	const listen = (_u: Uint8Array, _o: unknown, _d: Y.Doc, tr: Y.Transaction) => (changes = describeTransaction(tr));
	doc.on('update', listen);
	fn(doc);
	doc.off('update', listen);
	return { doc: CUSTOMER, data: new Uint8Array(), userId: user, changes, committed: () => {}, failed: () => {} };
}

function commit(d: Derived, ...updates: QueuedUpdate[]): void {
	d.add(
		updates,
		updates.map(() => ++seq),
		clock,
		new Set()
	);
	d.settled();
}

const companyName = () =>
	(db.prepare('SELECT company_name FROM customers WHERE id = ?').pluck().get(CUSTOMER) as string | undefined) ?? null;
/** One per update recorded: its seq and author. */
const historyRows = () => db.prepare('SELECT DISTINCT seq, user_id FROM history ORDER BY seq').all();
/** The names the renames set (the creation's own fields left out, whatever it records). */
const renames = () =>
	db.prepare(`SELECT value FROM history WHERE field = 'companyName' AND value <> '"Acme"' ORDER BY seq`).pluck().all();
const watermark = () => new DerivedWatermark(db).get();

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-derived-'));
	db = openDatabase(path.join(dir, 'fieldbook.db'));
	clock = 1_000_000;
	projected = [];
	failProjection = false;
	flushes = 0;
	seq = new DerivedWatermark(db).get();
	doc = new Y.Doc();
});

afterEach(() => {
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

const create = (name: string) =>
	edit(ADA, (d) => initCustomer(d, { kind: 'company', authorId: ADA, now: clock, fields: { companyName: name } }));
const rename = (user: string, name: string) => edit(user, (d) => updateCustomer(d, { companyName: name }, user, clock));

describe('derived work follows the commit', () => {
	it('with no lag, each settled commit is projected and recorded at once, with the watermark', () => {
		const d = derived(0);
		commit(d, create('Acme'));
		expect(companyName()).toBe('Acme');
		expect(watermark()).toBe(seq);
		commit(d, rename(BEN, 'Acme AG'));
		expect(companyName()).toBe('Acme AG');
		expect(historyRows()).toEqual([
			{ seq: seq - 1, user_id: ADA },
			{ seq, user_id: BEN }
		]);
		expect(renames()).toEqual(['"Acme AG"']);
		expect(d.pending).toBe(false);
	});

	it('within the lag window several commits of one document are projected once, every update in the history', () => {
		const d = derived(20);
		commit(d, create('Acme'));
		clock += 5;
		commit(d, rename(ADA, 'Acme 2'));
		clock += 5;
		commit(d, rename(BEN, 'Acme 3'));
		expect(companyName(), 'not yet: within the window').toBeNull();
		expect(watermark()).toBe(0);
		clock += 10;
		commit(d, rename(BEN, 'Acme 4'));
		expect(projected).toEqual([CUSTOMER]);
		expect(companyName()).toBe('Acme 4');
		expect(historyRows()).toHaveLength(4);
		expect(renames()).toEqual(['"Acme 2"', '"Acme 3"', '"Acme 4"']);
		expect(watermark()).toBe(seq);
	});

	it('a reader catching up commits what is pending and writes what is owed at once', () => {
		const d = derived(60_000);
		commit(d, create('Acme'));
		expect(companyName()).toBeNull();
		d.catchUp();
		expect(flushes).toBe(1);
		expect(companyName()).toBe('Acme');
		expect(watermark()).toBe(seq);
	});

	it('the lag timer writes what is owed when no further commit comes', async () => {
		const d = derived(5);
		commit(d, create('Acme'));
		expect(companyName()).toBeNull();
		clock += 5;
		await new Promise((r) => setTimeout(r, 30));
		expect(companyName()).toBe('Acme');
	});

	it('a failed write leaves nothing half-written and no watermark, and is written whole the next time', () => {
		const d = derived(0);
		failProjection = true;
		commit(d, create('Acme'));
		expect(historyRows(), 'history rolled back with the projection').toEqual([]);
		expect(watermark()).toBe(0);
		expect(d.pending).toBe(true);
		failProjection = false;
		commit(d, rename(BEN, 'Acme AG'));
		expect(companyName()).toBe('Acme AG');
		expect(historyRows()).toHaveLength(2);
		expect(watermark()).toBe(seq);
	});

	it('compaction waits until what it would drop from the log is derived', () => {
		const d = derived(60_000);
		const order: string[] = [];
		commit(d, create('Acme'));
		d.whenDerived(() => order.push(`compact after ${companyName() ?? 'nothing'}`));
		expect(order).toEqual([]);
		d.catchUp();
		expect(order).toEqual(['compact after Acme']);
		d.whenDerived(() => order.push('nothing owed: at once'));
		expect(order).toHaveLength(2);
	});

	it('a document the commit projected itself is not projected again; its history still follows', () => {
		const d = derived(0);
		const u = create('Acme');
		d.add([u], [++seq], clock, new Set([CUSTOMER]));
		d.settled();
		expect(projected).toEqual([]);
		expect(historyRows()).toHaveLength(1);
		expect(watermark()).toBe(seq);
	});
});
