/**
 * Sales document numbers through the real server process (issue #12 item 3): devices that
 * created invoices offline at the same time get distinct, consecutive numbers, which reach
 * every device; no device sets or changes a number; and the server killed with SIGKILL while
 * invoices are being created (some between a number's allocation and its write-back into the
 * document) still numbers every stored document after the restart, each number once.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { HistoryPage } from '../../src/lib/schema/history.ts';
import { createSale, moduleMap, readSales, updateRecord } from '../../src/lib/schema/module-doc.ts';
import { DOC } from '../../src/lib/schema/records.ts';
import { SyncDevice, type Endpoint } from './helpers/devices.ts';
import { makeRandom } from './helpers/edits.ts';
import { FeedClient } from './helpers/feed.ts';
import { Client } from './helpers/http.ts';
import { createCustomer } from './helpers/records.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { push } from './helpers/staff.ts';
import { until } from './helpers/sync.ts';

let server: TestServer;
let dataDir = '';
let admin: Client;
let adminId: string;

async function start(): Promise<void> {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000' }, { dataDir: dataDir || undefined, keepData: true });
	dataDir = server.dataDir;
	admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	adminId = await admin.userId();
}

beforeAll(start);
afterAll(async () => {
	await server?.stop();
	if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const endpoint = (): Endpoint => ({
	ws: server.url.replace(/^http/, 'ws'),
	headers: { cookie: admin.cookieHeader, origin: server.origin }
});

function fileRows<T>(sql: string, ...args: string[]): T[] {
	const db = new Database(path.join(dataDir, 'fieldbook.sqlite'), { readonly: true });
	try {
		return db.prepare(sql).all(...args) as T[];
	} finally {
		db.close();
	}
}

/** A device holding the customer as created (it syncs the rest when it connects). */
function device(id: number, name: string, update: Uint8Array): SyncDevice {
	const d = new SyncDevice(id);
	const doc = new Y.Doc();
	Y.applyUpdate(doc, update);
	d.track(name, doc);
	return d;
}

const invoices = (d: SyncDevice, name: string) => readSales(d.docs.get(name)!).filter((s) => s.kind === 'invoice');
const allNumbered = (d: SyncDevice, name: string, count: number) => {
	const list = invoices(d, name);
	return list.length === count && list.every((s) => typeof s.number === 'number');
};

describe('numbers', () => {
	it('invoices created offline on two devices at once get distinct, consecutive numbers, on both devices', async () => {
		const { update } = await createCustomer(server, admin, 'num-offline', { fields: { companyName: 'Num AG' } });
		const devices = [device(1, 'num-offline', update), device(2, 'num-offline', update)];
		devices.forEach((d, i) =>
			d.edit('num-offline', (doc) => {
				for (let j = 0; j < 5; j++)
					createSale(doc, { id: `dev${i}-inv${j}`, kind: 'invoice', authorId: adminId, now: Date.now() });
				createSale(doc, { id: `dev${i}-est`, kind: 'estimate', authorId: adminId, now: Date.now() });
			})
		);
		await Promise.all(devices.map((d) => d.connect(endpoint())));
		await until(() => devices.every((d) => allNumbered(d, 'num-offline', 10)), 15_000, 'numbers on both devices');
		const numbers = (d: SyncDevice) => new Map(invoices(d, 'num-offline').map((s) => [s.id, s.number as number]));
		const [first, second] = devices.map(numbers);
		expect(second).toEqual(first);
		const sorted = [...first.values()].sort((a, b) => a - b);
		expect(new Set(sorted).size).toBe(10);
		expect(sorted[9] - sorted[0]).toBe(9);
		const estimates = readSales(devices[0].docs.get('num-offline')!).filter((s) => s.kind === 'estimate');
		expect(estimates.map((s) => s.displayNumber).sort()).toEqual(['EST-000001', 'EST-000002']);
		for (const d of devices) d.disconnect();
	});

	it('a device can neither set nor change a number', async () => {
		const { update } = await createCustomer(server, admin, 'num-forged');
		const d = device(3, 'num-forged', update);
		d.edit('num-forged', (doc) => createSale(doc, { id: 'forged-1', kind: 'invoice', authorId: adminId, now: 1 }));
		await d.connect(endpoint());
		await until(() => allNumbered(d, 'num-forged', 1), 10_000, 'numbered');
		const number = invoices(d, 'num-forged')[0].number;
		d.disconnect();
		const doc = d.docs.get('num-forged')!;
		const feed = await FeedClient.open(server, admin);
		try {
			const copyOf = () => {
				const copy = new Y.Doc();
				Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
				return { copy, sv: Y.encodeStateVector(copy) };
			};
			// Changing the server's number.
			const changed = copyOf();
			moduleMap(changed.copy, DOC.sales).get('forged-1')!.set('number', 999);
			expect(await push(feed, 'num-forged', Y.encodeStateAsUpdate(changed.copy, changed.sv))).not.toBeNull();
			// A new document that brings its own number.
			const fresh = copyOf();
			createSale(fresh.copy, { id: 'forged-2', kind: 'invoice', authorId: adminId, now: 2, fields: { number: 1 } });
			expect(await push(feed, 'num-forged', Y.encodeStateAsUpdate(fresh.copy, fresh.sv))).not.toBeNull();
		} finally {
			feed.close();
		}
		const check = device(4, 'num-forged', update);
		await check.connect(endpoint());
		await until(() => check.online, 5000, 'synced');
		expect(invoices(check, 'num-forged').map((s) => [s.id, s.number])).toEqual([['forged-1', number]]);
		check.disconnect();
	});
});

describe('[#12] History', () => {
	it('module records appear with their author: created, a field changed from → to, the server numbering it', async () => {
		const { update } = await createCustomer(server, admin, 'num-history');
		const d = device(5, 'num-history', update);
		await d.connect(endpoint());
		d.edit('num-history', (doc) =>
			createSale(doc, {
				id: 'hist-1',
				kind: 'invoice',
				authorId: adminId,
				now: Date.now(),
				fields: { subject: 'Roof' }
			})
		);
		await until(() => allNumbered(d, 'num-history', 1), 10_000, 'numbered');
		d.edit('num-history', (doc) =>
			updateRecord(doc, DOC.sales, 'hist-1', { subject: 'New roof' }, adminId, Date.now())
		);
		await until(() => d.allCommitted, 5000, 'committed');
		d.disconnect();
		const res = await admin.request('/api/customers/num-history/history');
		expect(res.status).toBe(200);
		const page = (await res.json()) as HistoryPage;
		const changes = page.entries.flatMap((e) => e.changes.map((c) => ({ ...c, author: e.author?.id ?? null })));
		const number = invoices(d, 'num-history')[0].displayNumber;
		expect(changes).toContainEqual(
			expect.objectContaining({
				record: 'sales',
				recordId: 'hist-1',
				field: 'created',
				author: adminId,
				recordName: number
			})
		);
		expect(changes).toContainEqual(
			expect.objectContaining({ record: 'sales', field: 'subject', from: 'Roof', value: 'New roof', author: adminId })
		);
		// The number is the server's own change: no author.
		expect(changes).toContainEqual(expect.objectContaining({ record: 'sales', field: 'number', author: null }));
	});
});

describe('numbers under kill -9', () => {
	it('a kill -9 between allocation and write-back still numbers every stored document, each number once', async () => {
		const random = makeRandom(20_261_207);
		let caughtBetween = 0;
		// At least three trials, and more (up to twelve) until a kill has landed inside the window
		// this trial is about: how often it does depends on the machine's speed.
		for (let trial = 0; trial < 3 || (caughtBetween === 0 && trial < 12); trial++) {
			const name = `num-kill-${trial}`;
			const { update } = await createCustomer(server, admin, name);
			const d = device(10 + trial, name, update);
			await d.connect(endpoint());
			const exited = new Promise((resolve) => server.proc.once('exit', resolve));
			let k = 0;
			// One invoice per update, every few ms, from a live socket: allocations and write-backs interleave.
			const timer = setInterval(() => {
				if (d.closed) return;
				d.edit(name, (doc) =>
					createSale(doc, { id: `t${trial}-inv${k++}`, kind: 'invoice', authorId: adminId, now: Date.now() })
				);
			}, 3);
			await new Promise((r) => setTimeout(r, 150 + Math.floor(random() * 250)));
			server.proc.kill('SIGKILL');
			await exited;
			clearInterval(timer);
			d.disconnect();
			// As the file holds it after the kill: numbers allocated that their document lacks.
			caughtBetween += fileRows<{ n: number }>(
				'SELECT count(*) AS n FROM sales WHERE customer_id = ? AND number IS NOT doc_number',
				name
			)[0].n;
			await start();
			await d.connect(endpoint());
			await until(() => d.allCommitted && allNumbered(d, name, k), 15_000, `trial ${trial}: every invoice numbered`);
			const onDevice = new Map(invoices(d, name).map((s) => [s.id, s.number]));
			const allocated = fileRows<{ sale_id: string; number: number }>(
				'SELECT sale_id, number FROM sales_numbers WHERE customer_id = ?',
				name
			);
			expect(new Map(allocated.map((r) => [r.sale_id, r.number]))).toEqual(onDevice);
			d.disconnect();
		}
		// Every number of the kind is held by one document only.
		const all = fileRows<{ n: number; d: number }>(
			"SELECT count(*) AS n, count(DISTINCT number) AS d FROM sales_numbers WHERE kind = 'invoice'"
		)[0];
		expect(all.d).toBe(all.n);
		// The kills did fall between an allocation and its write-back (26 of ~250 invoices when written).
		expect(caughtBetween, 'allocations the file held without their write-back').toBeGreaterThan(0);
	}, 240_000);
});
