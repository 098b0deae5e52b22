import { IDBDatabase, IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { addContact, contactsMap, customerMap, initCustomer } from '$lib/schema/customer-doc';
import { DeviceStore } from './device-store';

let idb: IDBFactory;
const open: DeviceStore[] = [];

async function openStore(userId: string): Promise<DeviceStore> {
	const store = await DeviceStore.open(userId, idb);
	open.push(store);
	return store;
}

afterEach(() => {
	vi.restoreAllMocks();
	for (const s of open.splice(0)) s.close();
});

/** A doc with a fixed client id whose every update is collected, as a live doc would emit them. */
function recordingDoc(clientID: number): { doc: Y.Doc; updates: Uint8Array[] } {
	const doc = new Y.Doc();
	doc.clientID = clientID;
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	return { doc, updates };
}

function rebuild(updates: Uint8Array[]): Y.Doc {
	const doc = new Y.Doc();
	for (const u of updates) Y.applyUpdate(doc, u);
	return doc;
}

const svOf = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc));

describe('DeviceStore', () => {
	// A fresh factory per test: nothing leaks between tests.
	beforeEach(() => {
		idb = new IDBFactory();
	});

	it('[§5] two users on one device see none of each other’s data', async () => {
		const a = await openStore('user-a');
		const b = await openStore('user-b');
		const { doc, updates } = recordingDoc(1);
		initCustomer(doc, { kind: 'company', authorId: 'user-a', now: 1, fields: { companyName: 'Acme' } });
		await a.addPending('c1', updates[0]);
		await a.putCommitted('c2', Y.encodeStateAsUpdate(doc));
		await a.putSummaries([{ id: 'c1', kind: 'company', name: 'Acme' }]);
		await a.setMeta('lastSeq', 42);

		expect(await b.loadDoc('c1')).toEqual([]);
		expect(await b.loadDoc('c2')).toEqual([]);
		expect(await b.pendingDocs()).toEqual([]);
		expect(await b.allSummaries()).toEqual([]);
		expect(await b.getMeta('lastSeq')).toBeUndefined();
		expect(await a.getMeta('userId')).toBe('user-a');
		expect(await b.getMeta('userId')).toBe('user-b');
		expect((await idb.databases()).map((d) => d.name).sort()).toEqual(['fieldbook:user-a', 'fieldbook:user-b']);
	});

	it('[§5] pending updates survive close and reopen and rebuild the same doc', async () => {
		const { doc, updates } = recordingDoc(7);
		initCustomer(doc, { kind: 'company', authorId: 'u1', now: 1, fields: { companyName: 'Acme', city: 'Graz' } });
		addContact(doc, { id: 'k1', fields: { firstName: 'Ada', lastName: 'Lovelace' }, authorId: 'u1', now: 2 });
		customerMap(doc).set('phone', '+43 1 234');

		const first = await DeviceStore.open('u1', idb);
		for (const u of updates) await first.addPending('c1', u);
		first.close();

		const again = await openStore('u1');
		expect(await again.pendingDocs()).toEqual(['c1']);
		expect((await again.pendingUpdates('c1')).map((p) => p.update)).toEqual(updates);
		const copy = rebuild(await again.loadDoc('c1'));
		expect(customerMap(copy).toJSON()).toEqual(customerMap(doc).toJSON());
		expect(contactsMap(copy).toJSON()).toEqual(contactsMap(doc).toJSON());
	});

	it('[§5] acknowledge moves covered updates to the snapshot and keeps uncovered ones', async () => {
		const store = await openStore('u1');
		const local = recordingDoc(1);
		const other = new Y.Doc();
		other.clientID = 2;
		customerMap(local.doc).set('companyName', 'Acme');
		customerMap(local.doc).set('city', 'Graz');
		for (const u of local.updates) await store.addPending('c1', u);
		// Where each update's inserts end; encodeStateVectorFromUpdate would give {} for the second.
		const rows = await store.pendingUpdates('c1');
		expect(rows.map((r) => [...Y.decodeStateVector(r.sv)])).toEqual([[[1, 1]], [[1, 2]]]);

		// The server holds another client's edit and the first local update, not the second.
		customerMap(other).set('email', 'office@acme.test');
		const server = rebuild([Y.encodeStateAsUpdate(other), local.updates[0]]);
		const committed = svOf(server);
		expect(committed.get(1)).toBe(1);

		expect(await store.acknowledge('c1', committed)).toBe(1);
		const rest = await store.pendingUpdates('c1');
		expect(rest.map((p) => p.update)).toEqual([local.updates[1]]);
		const [snapshot, ...pending] = await store.loadDoc('c1');
		expect(pending).toEqual([local.updates[1]]);
		expect(customerMap(rebuild([snapshot])).toJSON()).toEqual({ companyName: 'Acme' });
		expect(customerMap(rebuild([snapshot, ...pending])).toJSON()).toEqual({ companyName: 'Acme', city: 'Graz' });

		expect(await store.acknowledge('c1', svOf(local.doc))).toBe(1);
		expect(await store.pendingDocs()).toEqual([]);
		const all = await store.loadDoc('c1');
		expect(all).toHaveLength(1);
		expect(customerMap(rebuild(all)).toJSON()).toEqual({ companyName: 'Acme', city: 'Graz' });
	});

	it('[§5] a deletion-only update waits for a later covered update (its state vector is empty)', async () => {
		const store = await openStore('u1');
		const { doc, updates } = recordingDoc(1);
		customerMap(doc).set('city', 'Graz');
		customerMap(doc).delete('city'); // no insert: empty state vector
		for (const u of updates) await store.addPending('c1', u);
		const [, deletion] = await store.pendingUpdates('c1');
		expect(Y.decodeStateVector(deletion.sv).size).toBe(0);

		// Everything with a clock is committed, yet nothing proves the deletion reached the server.
		expect(await store.acknowledge('c1', svOf(doc))).toBe(1);
		expect(await store.pendingUpdates('c1')).toHaveLength(1);

		customerMap(doc).set('phone', '123');
		await store.addPending('c1', updates[2]);
		expect(await store.acknowledge('c1', new Map([[1, 1]]))).toBe(0);
		expect(await store.acknowledge('c1', svOf(doc))).toBe(2);
		expect(await store.pendingDocs()).toEqual([]);
		expect(customerMap(rebuild(await store.loadDoc('c1'))).toJSON()).toEqual({ phone: '123' });
	});

	it('acknowledge takes rows named as sent whatever their state vector', async () => {
		const store = await openStore('u1');
		const { doc, updates } = recordingDoc(1);
		customerMap(doc).set('city', 'Graz');
		customerMap(doc).delete('city');
		for (const u of updates) await store.addPending('c1', u);
		const rows = await store.pendingUpdates('c1');
		expect(await store.acknowledge('c1', svOf(doc), { sent: rows.map((r) => r.id) })).toBe(2);
		expect(await store.pendingDocs()).toEqual([]);
	});

	it('[§5] committed updates go to the snapshot, never to pending', async () => {
		const store = await openStore('u1');
		const remote = recordingDoc(9);
		initCustomer(remote.doc, { kind: 'person', authorId: 'u2', now: 5 });
		customerMap(remote.doc).set('city', 'Linz');
		for (const u of remote.updates) await store.putCommitted('c1', u);
		expect(await store.pendingDocs()).toEqual([]);
		expect(await store.pendingUpdates('c1')).toEqual([]);
		const stored = await store.loadDoc('c1');
		expect(stored).toHaveLength(1);
		expect(customerMap(rebuild(stored)).toJSON()).toEqual(customerMap(remote.doc).toJSON());
	});

	it('writes 1,000 documents in one putCommittedMany transaction', async () => {
		const store = await openStore('u1');
		const entries = Array.from({ length: 1000 }, (_, i) => {
			const doc = new Y.Doc();
			initCustomer(doc, { kind: 'company', authorId: 'u1', now: i, fields: { companyName: `Firm ${i}` } });
			return { name: `c${i}`, update: Y.encodeStateAsUpdate(doc) };
		});
		// The same name twice in one batch: both updates must survive.
		const extra = new Y.Doc();
		Y.applyUpdate(extra, entries[5].update);
		const more: Uint8Array[] = [];
		extra.on('update', (u: Uint8Array) => more.push(u));
		customerMap(extra).set('city', 'Wels');
		entries.push({ name: 'c5', update: more[0] });

		const spy = vi.spyOn(IDBDatabase.prototype, 'transaction');
		await store.putCommittedMany(entries);
		expect(spy).toHaveBeenCalledTimes(1);
		spy.mockRestore();

		for (const i of [0, 499, 999]) {
			expect(customerMap(rebuild(await store.loadDoc(`c${i}`))).get('companyName')).toBe(`Firm ${i}`);
		}
		expect(customerMap(rebuild(await store.loadDoc('c5'))).toJSON()).toMatchObject({
			companyName: 'Firm 5',
			city: 'Wels'
		});
		expect(await store.pendingDocs()).toEqual([]);
	});

	it('putCommittedMany stores each summary with its document in the same transaction, pending changes included', async () => {
		const store = await openStore('u1');
		const company = (name: string) => {
			const doc = new Y.Doc();
			initCustomer(doc, { kind: 'company', authorId: 'u1', now: 1, fields: { companyName: name } });
			return doc;
		};
		// "mine" has a change of this device the server has not acknowledged: its summary shows it.
		const mine = company('Mine');
		const local: Uint8Array[] = [];
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(mine));
		copy.on('update', (u: Uint8Array) => local.push(u));
		customerMap(copy).set('city', 'Linz');
		await store.addPending('mine', local[0]);
		const entries = [
			{ name: 'fresh', update: Y.encodeStateAsUpdate(company('Fresh')) },
			{ name: 'mine', update: Y.encodeStateAsUpdate(mine) }
		];
		const derive = (name: string, state: Uint8Array[]) => {
			const doc = rebuild(state);
			return { id: name, name: String(customerMap(doc).get('companyName')), city: customerMap(doc).get('city') ?? null };
		};
		const spy = vi.spyOn(IDBDatabase.prototype, 'transaction');
		const summaries = await store.putCommittedMany(entries, derive);
		expect(spy).toHaveBeenCalledTimes(1);
		spy.mockRestore();
		expect(summaries).toEqual([
			{ id: 'fresh', name: 'Fresh', city: null },
			{ id: 'mine', name: 'Mine', city: 'Linz' }
		]);
		expect(await store.allSummaries()).toEqual(summaries);
		// The document as it came, and the pending change still pending.
		expect(customerMap(rebuild(await store.loadDoc('fresh'))).get('companyName')).toBe('Fresh');
		expect(await store.pendingDocs()).toEqual(['mine']);
		// No summary (null) is stored as none; the document is kept.
		expect(await store.putCommittedMany([{ name: 'other', update: Y.encodeStateAsUpdate(company('O')) }], () => null)).toEqual([]);
		expect(await store.allSummaries()).toHaveLength(2);
		expect(await store.hasCommitted('other')).toBe(true);
	});

	it('loadDocs reads many documents in one call, each as loadDoc would', async () => {
		const store = await openStore('user-a');
		const one = recordingDoc(1);
		initCustomer(one.doc, { kind: 'company', authorId: 'u', now: 1, fields: { companyName: 'One' } });
		await store.putCommitted('one', Y.encodeStateAsUpdate(one.doc));
		const two = recordingDoc(2);
		initCustomer(two.doc, { kind: 'company', authorId: 'u', now: 1, fields: { companyName: 'Two' } });
		for (const u of two.updates) await store.addPending('two', u);
		const loaded = await store.loadDocs(['one', 'two', 'missing']);
		expect(rebuild(loaded.get('one')!).getMap('customer').get('companyName')).toBe('One');
		expect(rebuild(loaded.get('two')!).getMap('customer').get('companyName')).toBe('Two');
		expect(loaded.get('missing')).toEqual([]);
		expect(loaded.get('two')).toEqual(await store.loadDoc('two'));
	});

	it('deleteDoc removes the snapshot, pending updates and summary of that doc only', async () => {
		const store = await openStore('u1');
		for (const name of ['c1', 'c2']) {
			const { doc, updates } = recordingDoc(3);
			initCustomer(doc, { kind: 'company', authorId: 'u1', now: 1, fields: { companyName: name } });
			await store.putCommitted(name, Y.encodeStateAsUpdate(doc));
			customerMap(doc).set('city', 'Graz');
			await store.addPending(name, updates[1]);
			customerMap(doc).set('city', 'Wien');
			await store.addPending(name, updates[2]);
		}
		await store.putSummaries([
			{ id: 'c1', kind: 'company' },
			{ id: 'c2', kind: 'company' }
		]);

		await store.deleteDoc('c1');
		expect(await store.loadDoc('c1')).toEqual([]);
		expect(await store.pendingUpdates('c1')).toEqual([]);
		expect(await store.pendingDocs()).toEqual(['c2']);
		expect(await store.pendingUpdates('c2')).toHaveLength(2);
		expect(await store.allSummaries()).toEqual([{ id: 'c2', kind: 'company' }]);
	});

	it('stores summaries as given and deletes them by id', async () => {
		const store = await openStore('u1');
		const summary = { id: 'c1', kind: 'person', name: 'Ada', contacts: [{ id: 'k1', primary: true }], deletedAt: null };
		await store.putSummaries([summary, { id: 'c2', kind: 'company', name: 'Acme' }]);
		await store.putSummaries([{ ...summary, name: 'Ada L.' }]);
		expect(await store.allSummaries()).toEqual([
			{ ...summary, name: 'Ada L.' },
			{ id: 'c2', kind: 'company', name: 'Acme' }
		]);
		await store.deleteSummary('c2');
		expect((await store.allSummaries()).map((s) => s.id)).toEqual(['c1']);
	});

	it('rejects when a transaction fails, and stores nothing of it', async () => {
		const store = await openStore('u1');
		await expect(store.putSummaries([{ id: 'ok' }, {} as { id: string }])).rejects.toThrow();
		expect(await store.allSummaries()).toEqual([]);
		await expect(store.addPending('c1', new Uint8Array([1, 2, 3]))).rejects.toThrow();
		expect(await store.pendingDocs()).toEqual([]);
	});

	it('keeps meta values and copies updates that are views into a larger buffer', async () => {
		const store = await openStore('u1');
		await store.setMeta('lastSeq', 17);
		expect(await store.getMeta<number>('lastSeq')).toBe(17);

		const doc = new Y.Doc();
		customerMap(doc).set('city', 'Graz');
		const update = Y.encodeStateAsUpdate(doc);
		const message = new Uint8Array(update.length + 1000);
		message.set(update, 500);
		await store.addPending('c1', message.subarray(500, 500 + update.length));
		const [row] = await store.pendingUpdates('c1');
		expect(row.update.buffer.byteLength).toBe(update.length);
		expect(row.update).toEqual(update);
	});

	it('[§8] a refused document: pending changes move to "not saved" with the reason, the copy becomes the server’s', async () => {
		const store = await openStore('u1');
		const server = new Y.Doc();
		initCustomer(server, { kind: 'company', authorId: 'u2', now: 1, fields: { companyName: 'Server Co' } });
		await store.putCommitted('c1', Y.encodeStateAsUpdate(server));
		await store.putSummaries([{ id: 'c1', name: 'Server Co' }]);
		const local = rebuild(await store.loadDoc('c1'));
		const sv = Y.encodeStateVector(local);
		customerMap(local).set('city', 'Offline City');
		await store.addPending('c1', Y.encodeStateAsUpdate(local, sv));
		await store.addPending('c2', new Uint8Array([0, 0])); // another document's change stays

		customerMap(server).set('phone', '+1 555');
		const moved = await store.rebuildDoc('c1', { remove: false, state: Y.encodeStateAsUpdate(server) }, {
			code: 4403,
			reason: 'read only: you may not change this record',
			recordName: 'Server Co'
		});
		expect(moved).toBe(true);
		expect(await store.pendingDocs()).toEqual(['c2']);
		const copy = rebuild(await store.loadDoc('c1'));
		expect(customerMap(copy).toJSON()).toMatchObject({ companyName: 'Server Co', phone: '+1 555' });
		expect(customerMap(copy).get('city')).toBeUndefined();
		const [entry] = await store.notSaved();
		expect(entry).toMatchObject({ doc: 'c1', name: 'Server Co', code: 4403, reason: 'read only: you may not change this record' });
		// What was not saved can be shown: the device's copy plus its refused changes.
		const refused = rebuild([entry.base!, ...entry.updates]);
		expect(customerMap(refused).get('city')).toBe('Offline City');

		// The refused rows are gone from pending: a later refusal of a push that held them is stale.
		expect(await store.hasPending('c1', [1, 2, 3])).toBe(false);
		expect(await store.hasPending('c2', (await store.pendingUpdates('c2')).map((r) => r.id))).toBe(true);

		await store.dismissNotSaved(entry.id);
		expect(await store.notSaved()).toEqual([]);
	});

	it('[§2] a record the user may no longer read is deleted with its summary; unsent changes go to "not saved"', async () => {
		const store = await openStore('u1');
		const { doc, updates } = recordingDoc(3);
		initCustomer(doc, { kind: 'company', authorId: 'u1', now: 1, fields: { companyName: 'Gone Co' } });
		await store.putCommitted('c1', updates[0]);
		await store.putSummaries([{ id: 'c1', name: 'Gone Co' }]);
		customerMap(doc).set('city', 'Nowhere');
		await store.addPending('c1', updates[1]);

		expect(await store.rebuildDoc('c1', { remove: true }, { code: 4403, reason: 'access revoked', recordName: 'Gone Co' })).toBe(
			true
		);
		expect(await store.loadDoc('c1')).toEqual([]);
		expect(await store.allSummaries()).toEqual([]);
		expect(await store.pendingDocs()).toEqual([]);
		expect((await store.notSaved()).map((e) => e.reason)).toEqual(['access revoked']);
		// Nothing pending: nothing to keep, the copy still goes.
		await store.putCommitted('c3', updates[0]);
		expect(await store.rebuildDoc('c3', { remove: true }, { code: 4403, reason: 'access revoked', recordName: '' })).toBe(false);
		// A refusal without the server's state keeps the committed copy and drops only what was pending.
		await store.putCommitted('c4', updates[0]);
		await store.addPending('c4', updates[1]);
		expect(await store.rebuildDoc('c4', { remove: false, state: null }, { code: 4422, reason: 'x', recordName: 'Gone Co' })).toBe(
			true
		);
		expect(await store.loadDoc('c4')).toEqual([updates[0]]);
		expect((await store.notSaved()).map((e) => e.doc)).toEqual(['c1', 'c4']);
	});

	it('opens a database made by the previous version and keeps its data', async () => {
		const old = await new Promise<IDBDatabase>((resolve, reject) => {
			const req = idb.open(DeviceStore.dbName('u1'), 1);
			req.onupgradeneeded = () => {
				req.result.createObjectStore('docs', { keyPath: 'name' });
				const pending = req.result.createObjectStore('pending', { keyPath: 'id', autoIncrement: true });
				pending.createIndex('doc', 'doc');
				const index = req.result.createObjectStore('index', { keyPath: 'id' });
				index.createIndex('kind', 'kind');
				index.createIndex('updatedAt', 'updatedAt');
				req.result.createObjectStore('meta').put('u1', 'userId');
			};
			req.onsuccess = () => resolve(req.result);
			req.onerror = () => reject(req.error ?? new Error('open failed'));
		});
		await new Promise<void>((resolve) => {
			const t = old.transaction(['docs'], 'readwrite');
			t.objectStore('docs').put({ name: 'c1', snapshot: new Uint8Array([0, 0]), updatedAt: 1 });
			t.oncomplete = () => resolve();
		});
		old.close();
		const store = await openStore('u1');
		expect(await store.loadDoc('c1')).toEqual([new Uint8Array([0, 0])]);
		expect(await store.notSaved()).toEqual([]);
	});

	it('destroy removes the user’s database', async () => {
		const store = await openStore('u1');
		await store.setMeta('lastSeq', 3);
		await DeviceStore.destroy('u1', idb); // the open connection closes on versionchange
		const fresh = await openStore('u1');
		expect(await fresh.getMeta('lastSeq')).toBeUndefined();
	});
});
