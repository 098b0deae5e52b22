import { IDBDatabase, IDBFactory } from 'fake-indexeddb';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
	addContact,
	contactsMap,
	customerMap,
	initCustomer,
	readContacts,
	trashContact,
	updateContact,
	updateCustomer
} from '$lib/schema/customer-doc';
import { DeviceStore } from './device-store';
import { bindDoc, storeOrigin } from './doc-persistence';

let idb: IDBFactory;
let store: DeviceStore;

beforeEach(async () => {
	idb = new IDBFactory(); // a fresh device per test
	store = await DeviceStore.open('u1', idb);
});

afterEach(() => {
	vi.restoreAllMocks();
	store.close();
});

const sv = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc));

/** Counts the read-write transactions the store opens from now on. */
function countWrites(): () => number {
	const spy = vi.spyOn(IDBDatabase.prototype, 'transaction');
	return () => spy.mock.calls.filter((c) => c[1] === 'readwrite').length;
}

describe('bindDoc', () => {
	it('[§5] a doc rebuilt from the store equals the original', async () => {
		const doc = new Y.Doc();
		const binding = await bindDoc(store, 'c1', doc);
		initCustomer(doc, { kind: 'company', authorId: 'u1', now: 1, fields: { companyName: 'Acme', city: 'Graz' } });
		addContact(doc, { id: 'k1', fields: { firstName: 'Ada', lastName: 'Lovelace' }, authorId: 'u1', now: 2 });
		addContact(doc, { id: 'k2', fields: { firstName: 'Alan', lastName: 'Turing' }, authorId: 'u1', now: 3 });
		updateContact(doc, 'k1', { position: 'CTO', 'permissions.invoices': true }, 'u1', 4);
		trashContact(doc, 'k2', 5);
		updateCustomer(doc, { email: 'office@acme.test' }, 'u1', 6);
		await binding.unbind();
		store.close();

		store = await DeviceStore.open('u1', idb); // a new instance: what the next app start sees
		const copy = new Y.Doc();
		await bindDoc(store, 'c1', copy);
		expect(customerMap(copy).toJSON()).toEqual(customerMap(doc).toJSON());
		expect(contactsMap(copy).toJSON()).toEqual(contactsMap(doc).toJSON());
		expect(readContacts(copy, { includeDeleted: true })).toEqual(readContacts(doc, { includeDeleted: true }));
		expect(await store.pendingDocs()).toEqual(['c1']);
	});

	it('coalesces the updates of one tick into one transaction', async () => {
		const doc = new Y.Doc();
		const binding = await bindDoc(store, 'c1', doc);
		const writes = countWrites();
		customerMap(doc).set('companyName', 'Acme');
		customerMap(doc).set('city', 'Graz');
		customerMap(doc).set('phone', '123');
		await binding.whenIdle();
		expect(writes()).toBe(1);
		expect(await store.pendingUpdates('c1')).toHaveLength(1);
	});

	it('[§5] updates from the network origin go to the snapshot, never to pending', async () => {
		const provider = { name: 'provider' };
		const doc = new Y.Doc();
		const binding = await bindDoc(store, 'c1', doc, { remoteOrigin: provider });
		const remote = new Y.Doc();
		initCustomer(remote, { kind: 'person', authorId: 'u2', now: 1 });
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote), provider);
		await binding.flush();
		expect(await store.pendingDocs()).toEqual([]);
		expect(await store.loadDoc('c1')).toHaveLength(1);

		customerMap(doc).set('city', 'Linz'); // a local edit beside it
		await binding.flush();
		expect(await store.pendingDocs()).toEqual(['c1']);
		const [snapshot, ...pending] = await store.loadDoc('c1');
		expect(customerMap(rebuild([snapshot])).toJSON()).toEqual(customerMap(remote).toJSON());
		expect(customerMap(rebuild(pending)).toJSON()).toEqual({ city: 'Linz' });
	});

	it('[§5] y-websocket applies remote updates with the provider as origin, so they are committed', async () => {
		class NoSocket {}
		const doc = new Y.Doc();
		const provider = new WebsocketProvider('ws://localhost:1', 'c1', doc, {
			connect: false,
			disableBc: true,
			WebSocketPolyfill: NoSocket as unknown as typeof WebSocket
		});
		try {
			const binding = await bindDoc(store, 'c1', doc, { remoteOrigin: provider });
			const remote = new Y.Doc();
			initCustomer(remote, { kind: 'company', authorId: 'u2', now: 1, fields: { companyName: 'Remote' } });
			// Exactly what the provider does with a sync message from its socket.
			const message = encoding.createEncoder();
			syncProtocol.writeSyncStep2(message, remote);
			provider.messageHandlers[0](
				encoding.createEncoder(),
				decoding.createDecoder(encoding.toUint8Array(message)),
				provider,
				true,
				0
			);
			expect(customerMap(doc).get('companyName')).toBe('Remote');
			await binding.flush();
			expect(await store.pendingDocs()).toEqual([]);
			expect(customerMap(rebuild(await store.loadDoc('c1'))).get('companyName')).toBe('Remote');
		} finally {
			provider.destroy();
		}
	});

	it('does not write back what it loaded from the store', async () => {
		const source = new Y.Doc();
		initCustomer(source, { kind: 'company', authorId: 'u1', now: 1, fields: { companyName: 'Acme' } });
		await store.putCommitted('c1', Y.encodeStateAsUpdate(source));
		const writes = countWrites();
		const doc = new Y.Doc();
		const seen: unknown[] = [];
		doc.on('update', (_u: Uint8Array, origin: unknown) => seen.push(origin));
		const binding = await bindDoc(store, 'c1', doc);
		await binding.whenIdle();
		expect(seen).toEqual([storeOrigin]);
		expect(writes()).toBe(0);
		expect(customerMap(doc).get('companyName')).toBe('Acme');
	});

	it('stores what the doc held before it was bound as a local change', async () => {
		const doc = new Y.Doc();
		initCustomer(doc, { kind: 'company', authorId: 'u1', now: 1, fields: { companyName: 'New Co' } });
		const binding = await bindDoc(store, 'c1', doc);
		await binding.whenIdle();
		expect(await store.pendingDocs()).toEqual(['c1']);
		expect(customerMap(rebuild(await store.loadDoc('c1'))).toJSON()).toEqual(customerMap(doc).toJSON());
	});

	it('[§5] acknowledge flushes first, then moves what the server committed', async () => {
		const doc = new Y.Doc();
		const binding = await bindDoc(store, 'c1', doc);
		customerMap(doc).set('companyName', 'Acme');
		await binding.flush();
		customerMap(doc).set('city', 'Graz'); // still queued when the ack arrives
		expect(await binding.acknowledge(sv(doc))).toBe(2);
		expect(await store.pendingDocs()).toEqual([]);
		expect(customerMap(rebuild(await store.loadDoc('c1'))).toJSON()).toEqual({ companyName: 'Acme', city: 'Graz' });
	});

	it('[§5] a deletion after the last insert of a tick keeps its own row until a later edit is acknowledged', async () => {
		const doc = new Y.Doc();
		const binding = await bindDoc(store, 'c1', doc);
		customerMap(doc).set('companyName', 'Acme');
		customerMap(doc).set('city', 'Graz');
		customerMap(doc).delete('city');
		await binding.flush();
		expect(await store.pendingUpdates('c1')).toHaveLength(2);
		expect(await binding.acknowledge(sv(doc))).toBe(1);
		customerMap(doc).set('phone', '123');
		expect(await binding.acknowledge(sv(doc))).toBe(2);
		expect(customerMap(rebuild(await store.loadDoc('c1'))).toJSON()).toEqual({ companyName: 'Acme', phone: '123' });
	});

	it('writes what is queued when the doc is destroyed, and nothing after', async () => {
		const doc = new Y.Doc();
		const binding = await bindDoc(store, 'c1', doc);
		customerMap(doc).set('companyName', 'Acme');
		doc.destroy();
		await binding.whenIdle();
		expect(await store.pendingUpdates('c1')).toHaveLength(1);
	});

	it('keeps a failed write queued and writes it with the next flush', async () => {
		const errors: unknown[] = [];
		const doc = new Y.Doc();
		const binding = await bindDoc(store, 'c1', doc, { onError: (e) => errors.push(e) });
		const write = vi.spyOn(store, 'write').mockRejectedValueOnce(new Error('QuotaExceededError'));
		customerMap(doc).set('companyName', 'Acme');
		await binding.whenIdle();
		expect(errors).toHaveLength(1);
		expect(await store.pendingDocs()).toEqual([]);
		await binding.flush();
		expect(write).toHaveBeenCalledTimes(2);
		expect(customerMap(rebuild(await store.loadDoc('c1'))).get('companyName')).toBe('Acme');
	});
});

function rebuild(updates: Uint8Array[]): Y.Doc {
	const doc = new Y.Doc();
	for (const u of updates) Y.applyUpdate(doc, u);
	return doc;
}
