import { IDBFactory, IDBObjectStore } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { customerMap, initCustomer } from '$lib/schema/customer-doc';
import { SETTINGS_DOC } from '$lib/schema/settings';
import { countEvictable, evictCached, markOpened, oldestPendingAt, RECENT_MS } from './device-cache';
import { DeviceStore } from './device-store';
import { bindDoc } from './doc-persistence';

let idb: IDBFactory;
let store: DeviceStore;
let diskFull = false;

/**
 * A full disk as Chromium shows it: the transaction aborts with a QuotaExceededError as its
 * error. Deleting a committed snapshot makes room (the disk model of the e2e test too).
 */
function simulateDisk(): void {
	for (const method of ['put', 'add'] as const) {
		const original = IDBObjectStore.prototype[method];
		vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (this: IDBObjectStore, ...args) {
			const request = original.apply(this, args);
			if (diskFull) {
				Object.defineProperty(this.transaction, 'error', {
					value: new DOMException('The quota has been exceeded.', 'QuotaExceededError')
				});
				this.transaction.abort();
			}
			return request;
		});
	}
	const del = IDBObjectStore.prototype.delete;
	vi.spyOn(IDBObjectStore.prototype, 'delete').mockImplementation(function (this: IDBObjectStore, key) {
		if (this.name === 'docs') diskFull = false;
		return del.call(this, key);
	});
}

function company(name: string, clientID: number): Uint8Array {
	const doc = new Y.Doc();
	doc.clientID = clientID;
	initCustomer(doc, { kind: 'company', authorId: 'u1', now: 1, fields: { companyName: name } });
	return Y.encodeStateAsUpdate(doc);
}

function rebuild(updates: Uint8Array[]): Y.Doc {
	const doc = new Y.Doc();
	for (const u of updates) Y.applyUpdate(doc, u);
	return doc;
}

beforeEach(async () => {
	idb = new IDBFactory();
	store = await DeviceStore.open('u1', idb);
	diskFull = false;
});

afterEach(() => {
	vi.restoreAllMocks();
	store.close();
});

describe('device cache: what may be dropped to make room', () => {
	it('[§5] dropping cached records never touches pending rows, "not saved" entries or summaries', async () => {
		await store.putCommittedMany([
			{ name: 'read-only', update: company('Read Only', 1) },
			{ name: 'edited', update: company('Edited', 2) },
			{ name: 'refused', update: company('Refused', 3) },
			{ name: 'recent', update: company('Recent', 4) },
			{ name: 'on-screen', update: company('On Screen', 5) },
			{ name: SETTINGS_DOC, update: company('Settings', 6) }
		]);
		const edit = new Y.Doc();
		Y.applyUpdate(edit, company('Edited', 2));
		let change: Uint8Array | null = null;
		edit.on('update', (u: Uint8Array) => (change = u));
		customerMap(edit).set('city', 'Graz');
		await store.addPending('edited', change!);
		await store.addPending('new-here', company('Made Offline', 7)); // never committed
		await store.rebuildDoc('refused', { remove: false, state: null }, { code: 4422, reason: 'invalid', recordName: 'Refused' });
		await store.putSummaries([{ id: 'read-only' }, { id: 'edited' }, { id: 'recent' }]);
		await markOpened(store, 'recent');
		await markOpened(store, 'read-only', Date.now() - RECENT_MS - 1);
		const pendingBefore = await store.pendingUpdates('edited');
		const notSavedBefore = await store.notSaved();

		expect(await countEvictable(store, { keep: ['on-screen'] })).toBe(2);
		const dropped = await evictCached(store, { keep: ['on-screen'] });

		expect(dropped.sort()).toEqual(['read-only', 'refused']);
		expect(await store.loadDoc('read-only')).toEqual([]);
		// Still known to the server: opening it online fetches it again instead of holding it.
		expect(await store.hasCommitted('read-only')).toBe(true);
		expect(await store.pendingUpdates('edited')).toEqual(pendingBefore);
		expect(customerMap(rebuild(await store.loadDoc('edited'))).get('city')).toBe('Graz');
		expect(await store.pendingDocs()).toEqual(['edited', 'new-here']);
		expect(customerMap(rebuild(await store.loadDoc('new-here'))).get('companyName')).toBe('Made Offline');
		expect(await store.notSaved()).toEqual(notSavedBefore);
		for (const kept of ['recent', 'on-screen', SETTINGS_DOC]) expect(await store.loadDoc(kept)).toHaveLength(1);
		expect((await store.allSummaries()).map((s) => s.id).sort()).toEqual(['edited', 'read-only', 'recent']);

		// Asked to drop everything it may: still never a record with changes waiting.
		const all = await evictCached(store, { openedBefore: Number.POSITIVE_INFINITY });
		expect(all.sort()).toEqual(['on-screen', 'recent']);
		expect(await store.pendingUpdates('edited')).toEqual(pendingBefore);
		expect(await store.loadDoc('edited')).toHaveLength(2); // its snapshot and its pending row
	});

	it('does not keep half a record: feed changes of a dropped record wait until it is fetched whole', async () => {
		const base = new Y.Doc();
		Y.applyUpdate(base, company('Acme', 1));
		await store.putCommitted('c1', Y.encodeStateAsUpdate(base));
		await evictCached(store, { openedBefore: Number.POSITIVE_INFINITY });
		let delta: Uint8Array | null = null;
		base.on('update', (u: Uint8Array) => (delta = u));
		customerMap(base).set('city', 'Wien');

		await store.putCommittedMany([{ name: 'c1', update: delta! }]);
		expect(await store.loadDoc('c1')).toEqual([]);

		// Opened online: the server's whole state arrives through the live socket.
		await store.write('c1', { committed: Y.encodeStateAsUpdate(base) });
		expect(customerMap(rebuild(await store.loadDoc('c1'))).get('city')).toBe('Wien');
		await store.putCommittedMany([{ name: 'c1', update: company('Other', 9) }]);
		expect(await store.loadDoc('c1')).toHaveLength(1); // stored again like any record
		expect(await countEvictable(store)).toBe(1);
	});

	it('[§8] a write on a full disk fails whole, stays in memory, and lands once space is freed', async () => {
		simulateDisk();
		await store.putCommitted('cached', company('Cached', 1));
		const doc = new Y.Doc();
		const errors: unknown[] = [];
		let recovered = 0;
		const binding = await bindDoc(store, 'c1', doc, {
			onError: (e) => errors.push(e),
			onRecovered: () => recovered++,
			retryMs: 20
		});
		diskFull = true;
		customerMap(doc).set('companyName', 'Acme');
		customerMap(doc).set('city', 'Graz');
		await binding.whenIdle();

		expect((errors[0] as Error).name).toBe('QuotaExceededError');
		expect(binding.failingSince).not.toBeNull();
		expect(customerMap(doc).get('city')).toBe('Graz'); // still on screen
		expect(await store.pendingDocs()).toEqual([]); // nothing half-written
		expect(await oldestPendingAt(store)).toBeNull();

		// Retried on its own while the disk stays full: still nothing written, nothing lost.
		await vi.waitFor(() => expect(errors.length).toBeGreaterThan(1));
		expect(await store.pendingDocs()).toEqual([]);

		expect(await evictCached(store, { openedBefore: Number.POSITIVE_INFINITY })).toEqual(['cached']);
		binding.retry();
		await binding.whenIdle();
		expect(recovered).toBe(1);
		expect(binding.failingSince).toBeNull();
		const stored = rebuild(await store.loadDoc('c1'));
		expect(customerMap(stored).get('companyName')).toBe('Acme');
		expect(customerMap(stored).get('city')).toBe('Graz');
		expect(await oldestPendingAt(store)).toEqual(expect.any(Number));
	});

	it('upgrading a version-2 database keeps every pending row (no upgrade resets the store)', async () => {
		store.close();
		const old = await new Promise<IDBDatabase>((resolve, reject) => {
			const req = idb.open(DeviceStore.dbName('u2'), 2);
			req.onupgradeneeded = () => {
				const db = req.result;
				db.createObjectStore('docs', { keyPath: 'name' });
				db.createObjectStore('pending', { keyPath: 'id', autoIncrement: true }).createIndex('doc', 'doc');
				const index = db.createObjectStore('index', { keyPath: 'id' });
				index.createIndex('kind', 'kind');
				index.createIndex('updatedAt', 'updatedAt');
				db.createObjectStore('meta');
				db.createObjectStore('notSaved', { keyPath: 'id', autoIncrement: true });
			};
			req.onsuccess = () => resolve(req.result);
			req.onerror = () => reject(req.error ?? new Error('open failed'));
		});
		const update = company('Kept', 1);
		await new Promise<void>((resolve) => {
			const t = old.transaction('pending', 'readwrite');
			t.objectStore('pending').add({ doc: 'c1', update, sv: Y.encodeStateVector(new Map([[1, 9]])), createdAt: 5 });
			t.oncomplete = () => resolve();
		});
		old.close();

		store = await DeviceStore.open('u2', idb);
		expect(await store.pendingDocs()).toEqual(['c1']);
		expect(await oldestPendingAt(store)).toBe(5);
		expect(customerMap(rebuild(await store.loadDoc('c1'))).get('companyName')).toBe('Kept');
	});
});
