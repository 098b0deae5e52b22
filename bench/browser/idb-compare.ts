/**
 * IndexedDB persistence compared in the browser (bundled by bench/run.ts, served from a
 * static server on loopback): the design card's y-indexeddb (one database per document)
 * against the app's DeviceStore (one database per user), writing N customer documents and
 * reading them all back after a reload.
 *
 * The documents are the seed's (bench/data.ts), each as one merged update: what the feed
 * delivers for a document on a fresh device.
 */
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { customerMap } from '../../src/lib/schema/customer-doc.ts';
import { DeviceStore } from '../../src/lib/data/device-store.ts';
import { buildCustomer, customerRecipe, makeRandom } from '../data.ts';

const USER = 'bench-user';

let docs: { name: string; update: Uint8Array }[] = [];

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < items.length) await fn(items[next++]);
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function check(doc: Y.Doc, name: string): void {
	if (customerMap(doc).get('kind') !== 'company') throw new Error(`document ${name} came back empty`);
}

/** A readonly transaction on `store` starts only after every earlier readwrite one on it has committed. */
function committed(db: IDBDatabase, store: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const t = db.transaction([store], 'readonly');
		t.objectStore(store).count();
		t.oncomplete = () => resolve();
		t.onerror = () => reject(t.error ?? new Error('transaction failed'));
	});
}

const api = {
	/** Builds the documents in memory (not timed); returns their names and total size. */
	generate(n: number): { names: string[]; bytes: number } {
		const random = makeRandom(20_240_917);
		const end = Date.now() - 86_400_000;
		docs = [];
		let bytes = 0;
		for (let i = 0; i < n; i++) {
			const built = buildCustomer(customerRecipe(random, i, n, end), 'bench-author');
			const update = Y.mergeUpdates(built.updates);
			built.doc.destroy();
			docs.push({ name: built.doc.guid, update });
			bytes += update.byteLength;
		}
		return { names: docs.map((d) => d.name), bytes };
	},

	/** DeviceStore: every document in one putCommittedMany (one transaction), as a catch-up burst. */
	async writeDeviceStore(): Promise<number> {
		const t0 = performance.now();
		const store = await DeviceStore.open(USER);
		await store.putCommittedMany(docs);
		store.close();
		return performance.now() - t0;
	},

	/**
	 * DeviceStore after a reload: open, then each document read (loadDoc, one transaction each,
	 * awaited in turn as workspace.applyChanges does) and applied to a Y.Doc.
	 */
	async readDeviceStore(names: string[], concurrency: number): Promise<number> {
		const t0 = performance.now();
		const store = await DeviceStore.open(USER);
		await pool(names, concurrency, async (name) => {
			const doc = new Y.Doc();
			for (const u of await store.loadDoc(name)) Y.applyUpdate(doc, u);
			check(doc, name);
			doc.destroy();
		});
		store.close();
		return performance.now() - t0;
	},

	/**
	 * y-indexeddb: per document a Y.Doc holding the update, bound with `new IndexeddbPersistence`
	 * (which writes the doc's state in its first transaction), waited for until that write has
	 * committed (`synced` fires before it does: a later readonly transaction on the same store
	 * waits for it), then closed. `concurrency` documents at a time.
	 */
	async writeYIndexeddb(concurrency: number): Promise<number> {
		const t0 = performance.now();
		await pool(docs, concurrency, async ({ name, update }) => {
			const doc = new Y.Doc();
			Y.applyUpdate(doc, update);
			const p = new IndexeddbPersistence(name, doc);
			await p.whenSynced;
			await committed(p.db!, 'updates');
			await p.destroy();
			doc.destroy();
		});
		return performance.now() - t0;
	},

	/** y-indexeddb after a reload: each document reopened (its own database) until `synced`. */
	async readYIndexeddb(names: string[], concurrency: number): Promise<number> {
		const t0 = performance.now();
		await pool(names, concurrency, async (name) => {
			const doc = new Y.Doc();
			const p = new IndexeddbPersistence(name, doc);
			await p.whenSynced;
			check(doc, name);
			await p.destroy();
			doc.destroy();
		});
		return performance.now() - t0;
	},

	/**
	 * The same documents read in ONE readonly transaction (getAll of DeviceStore's `docs` store)
	 * and applied: what a batched DeviceStore read could cost.
	 */
	async readOneTransaction(): Promise<number> {
		const t0 = performance.now();
		const store = await DeviceStore.open(USER); // created and upgraded already: this opens it
		store.close();
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const req = indexedDB.open(DeviceStore.dbName(USER));
			req.onsuccess = () => resolve(req.result);
			req.onerror = () => reject(req.error ?? new Error('open failed'));
		});
		const rows = await new Promise<{ name: string; snapshot: Uint8Array }[]>((resolve, reject) => {
			const req = db.transaction(['docs'], 'readonly').objectStore('docs').getAll();
			req.onsuccess = () => resolve(req.result as { name: string; snapshot: Uint8Array }[]);
			req.onerror = () => reject(req.error ?? new Error('getAll failed'));
		});
		for (const row of rows) {
			const doc = new Y.Doc();
			Y.applyUpdate(doc, row.snapshot);
			check(doc, row.name);
			doc.destroy();
		}
		db.close();
		return performance.now() - t0;
	},

	/** Creating n Y.Docs without and with a guid (without one, Yjs makes a UUIDv4 from 31 random calls). */
	docCreation(n: number): { plain: number; withGuid: number } {
		let t0 = performance.now();
		for (let i = 0; i < n; i++) new Y.Doc().destroy();
		const plain = performance.now() - t0;
		t0 = performance.now();
		for (let i = 0; i < n; i++) new Y.Doc({ guid: `doc-${i}` }).destroy();
		return { plain, withGuid: performance.now() - t0 };
	},

	/** Databases y-indexeddb made (every database but DeviceStore's). */
	async databaseCount(): Promise<number> {
		return (await indexedDB.databases()).filter((d) => !d.name?.startsWith('fieldbook:')).length;
	}
};

declare global {
	interface Window {
		benchIdb: typeof api;
	}
}
window.benchIdb = api;
