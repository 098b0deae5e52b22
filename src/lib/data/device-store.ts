/**
 * Everything one signed-in user keeps on this device, in ONE IndexedDB database per user
 * (`fieldbook:<userId>`), as AFFiNE does. y-indexeddb's one database per document took ~37 s
 * to write 10,000 customers where one database and one transaction took ~3.5 s (STACK.md),
 * and Safari errors with many databases.
 *
 * Per document: a snapshot of its committed state (what the server has acknowledged or sent)
 * and the local changes the server has not acknowledged yet, one row each. Keeping the two
 * apart is what makes "N changes waiting" (SPEC §5) exact and lets the sync layer re-push
 * exactly what is unacknowledged.
 *
 * What only this device holds (pending rows, "not saved" entries) is kept apart from what can
 * be fetched again (snapshots, summaries): only the latter may be dropped to make room
 * (device-cache.ts), and a database upgrade only ever adds stores.
 *
 * Every method is one IDB transaction (idb.ts) that never awaits anything else while it is
 * open: a transaction with no pending request auto-commits at the end of the task.
 */
import * as Y from 'yjs';
import { covers } from './acks';
import { onSuccess, own, runTx, type StoreName } from './idb';

/** 3 added `opened` and `evicted` (device-cache.ts). Upgrades add; none resets the store. */
export const DB_VERSION = 3;

/** A document's committed state: merged snapshot of everything the server has. */
export interface DocRow {
	name: string;
	snapshot: Uint8Array;
	updatedAt: number;
}

/** A local change the server has not acknowledged yet. */
export interface PendingUpdate {
	id: number;
	doc: string;
	update: Uint8Array;
	/**
	 * Where the update's inserts end, per client (encoded state vector); covered by the
	 * server's committed vector = acknowledged. See updateEnd: not encodeStateVectorFromUpdate.
	 */
	sv: Uint8Array;
	createdAt: number;
}

/**
 * A record summary for lists and search (e.g. CustomerSummary); stored as given, keyed by `id`
 * (the customer's id). An interface, so that declared interfaces without an index signature fit.
 */
export interface Summary {
	id: string;
}

/**
 * Local changes the server refused (no access, or invalid), kept for their author with the
 * reason (SPEC §8: nothing is silently lost). The document itself was rebuilt from the
 * server's state; `base` + `updates` are what this device had, to show what was not saved.
 */
export interface NotSavedEntry {
	id: number;
	doc: string;
	/** The record's name when it was refused (the device may no longer have the record). */
	name: string;
	/** The server's close code: 4403 no access / may not change that, 4422 invalid. */
	code: number;
	reason: string;
	at: number;
	base: Uint8Array | null;
	updates: Uint8Array[];
}

export class DeviceStore {
	private constructor(
		private readonly db: IDBDatabase,
		readonly userId: string
	) {
		// Another tab upgrading the schema, or destroy(): let it proceed instead of blocking it.
		db.onversionchange = () => db.close();
	}

	static dbName(userId: string): string {
		return `fieldbook:${userId}`;
	}

	static open(userId: string, idb: IDBFactory = indexedDB): Promise<DeviceStore> {
		if (!userId) return Promise.reject(new Error('DeviceStore needs a user id'));
		return new Promise((resolve, reject) => {
			const req = idb.open(DeviceStore.dbName(userId), DB_VERSION);
			req.onupgradeneeded = (event) => {
				const db = req.result;
				// One step per version; a database is brought up from whatever version it has.
				if (event.oldVersion < 1) {
					db.createObjectStore('docs', { keyPath: 'name' });
					const pending = db.createObjectStore('pending', { keyPath: 'id', autoIncrement: true });
					pending.createIndex('doc', 'doc');
					const index = db.createObjectStore('index', { keyPath: 'id' });
					index.createIndex('kind', 'kind');
					index.createIndex('updatedAt', 'updatedAt');
					db.createObjectStore('meta').put(userId, 'userId');
				}
				if (event.oldVersion < 2) db.createObjectStore('notSaved', { keyPath: 'id', autoIncrement: true });
				if (event.oldVersion < 3) {
					// When each record was last opened here, and the records dropped to make room.
					db.createObjectStore('opened', { keyPath: 'name' });
					db.createObjectStore('evicted', { keyPath: 'name' });
				}
			};
			req.onsuccess = () => resolve(new DeviceStore(req.result, userId));
			req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
			// `blocked` is not a failure: the open goes on once older connections close, which
			// ours do on `versionchange`.
		});
	}

	/** Deletes the user's whole database (sign-out keeps it by default). */
	static destroy(userId: string, idb: IDBFactory = indexedDB): Promise<void> {
		return new Promise((resolve, reject) => {
			const req = idb.deleteDatabase(DeviceStore.dbName(userId));
			req.onsuccess = () => resolve();
			req.onerror = () => reject(req.error ?? new Error('IndexedDB delete failed'));
		});
	}

	close(): void {
		this.db.close();
	}

	/** The snapshot (if any) followed by the pending updates in the order they were made. */
	loadDoc(name: string): Promise<Uint8Array[]> {
		return this.tx(['docs', 'pending'], 'readonly', (t) => {
			let row: DocRow | undefined;
			let pending: PendingUpdate[] = [];
			onSuccess(t.objectStore('docs').get(name), (r) => (row = r as DocRow | undefined));
			onSuccess(pendingOf(t, name), (r) => (pending = r as PendingUpdate[]));
			return () => [...(row ? [row.snapshot] : []), ...pending.map((p) => p.update)];
		});
	}

	/** loadDoc for many documents in ONE transaction (a catch-up of thousands of documents). */
	loadDocs(names: readonly string[]): Promise<Map<string, Uint8Array[]>> {
		return this.tx(['docs', 'pending'], 'readonly', (t) => {
			const out = new Map<string, Uint8Array[]>();
			for (const name of names) {
				let row: DocRow | undefined;
				onSuccess(t.objectStore('docs').get(name), (r) => (row = r as DocRow | undefined));
				onSuccess(pendingOf(t, name), (r) => {
					out.set(name, [...(row ? [row.snapshot] : []), ...(r as PendingUpdate[]).map((p) => p.update)]);
				});
			}
			return () => out;
		});
	}

	/**
	 * Whether the server has the document: the device holds its committed state, or held it
	 * and dropped it to make room (then it is fetched again when opened online).
	 */
	hasCommitted(name: string): Promise<boolean> {
		return this.tx(['docs', 'evicted'], 'readonly', (t) => {
			let found = false;
			onSuccess(t.objectStore('docs').getKey(name), (k) => (found ||= k !== undefined));
			onSuccess(t.objectStore('evicted').getKey(name), (k) => (found ||= k !== undefined));
			return () => found;
		});
	}

	addPending(name: string, update: Uint8Array): Promise<void> {
		return this.write(name, { pending: [update] });
	}

	/** Merges an update that came from the server into the document's snapshot. */
	putCommitted(name: string, update: Uint8Array): Promise<void> {
		return this.write(name, { committed: update });
	}

	/**
	 * Committed and local updates of one document in one transaction (what a coalesced flush
	 * of a live document needs). Each `pending` entry becomes one row, in order.
	 */
	write(name: string, changes: { committed?: Uint8Array | null; pending?: readonly Uint8Array[] }): Promise<void> {
		const pending = changes.pending ?? [];
		const stores: StoreName[] = changes.committed ? ['docs', 'pending', 'evicted'] : ['pending'];
		// Unacknowledged local changes exist nowhere else: ask for a flush to disk. Committed
		// state can be fetched again from the server, so it may take the faster path.
		const durability = pending.length > 0 ? 'strict' : 'relaxed';
		return this.tx(
			stores,
			'readwrite',
			(t) => {
				if (changes.committed) {
					// A record dropped to make room is whole again once the server's full state arrives.
					mergeIntoSnapshot(t.objectStore('docs'), name, [changes.committed], (snapshot) => {
						if (isWhole(snapshot)) t.objectStore('evicted').delete(name);
					});
				}
				const store = t.objectStore('pending');
				const now = Date.now();
				for (const update of pending) {
					const row: Omit<PendingUpdate, 'id'> = {
						doc: name,
						update: own(update),
						sv: Y.encodeStateVector(updateEnd(update)),
						createdAt: now
					};
					store.add(row);
				}
				return () => undefined;
			},
			durability
		);
	}

	/**
	 * Catch-up of many documents (thousands) in one transaction. With `derive`, each document
	 * written gets its summary in `index` in the same transaction, derived from its new
	 * committed state followed by its pending changes (null: none is kept); resolves to the
	 * summaries stored. Nothing is read back afterwards: a fresh device's catch-up is one
	 * write per document and its summary.
	 */
	putCommittedMany<S extends Summary>(
		entries: readonly { name: string; update: Uint8Array }[],
		derive?: (name: string, state: Uint8Array[]) => S | null
	): Promise<S[]> {
		// Grouped first: two read-merge-writes of one name in flight would both read the old
		// snapshot, and the second put would drop the first's update.
		const byName = new Map<string, Uint8Array[]>();
		for (const { name, update } of entries) {
			const list = byName.get(name);
			if (list) list.push(update);
			else byName.set(name, [update]);
		}
		const stores: StoreName[] = derive ? ['docs', 'evicted', 'pending', 'index'] : ['docs', 'evicted'];
		return this.tx(
			stores,
			'readwrite',
			(t) => {
				const docs = t.objectStore('docs');
				const summaries: S[] = [];
				const keep = (s: S | null) => {
					if (!s) return;
					t.objectStore('index').put(s);
					summaries.push(s);
				};
				const write = (evicted: Set<string>, withPending: Set<string>) => {
					for (const [name, updates] of byName) {
						// Changes of a record dropped to make room are not kept: alone they would be a
						// half document. It is fetched whole when next opened online.
						if (evicted.has(name)) continue;
						mergeIntoSnapshot(docs, name, updates, (snapshot) => {
							if (!derive) return;
							if (!withPending.has(name)) return keep(derive(name, [snapshot]));
							onSuccess(pendingOf(t, name), (rows) =>
								keep(derive(name, [snapshot, ...(rows as PendingUpdate[]).map((r) => r.update)]))
							);
						});
					}
				};
				onSuccess(t.objectStore('evicted').getAllKeys(), (keys) => {
					const evicted = new Set(keys as string[]);
					if (derive) pendingNames(t, (names) => write(evicted, new Set(names)));
					else write(evicted, new Set());
				});
				return () => summaries;
			},
			'relaxed'
		);
	}

	/** Names of the documents with local changes waiting for the server. */
	pendingDocs(): Promise<string[]> {
		return this.tx(['pending'], 'readonly', (t) => {
			let names: string[] = [];
			pendingNames(t, (n) => (names = n));
			return () => names;
		});
	}

	/** Whether any of these pending rows of `name` is still waiting (not acknowledged, not moved). */
	hasPending(name: string, ids: readonly number[]): Promise<boolean> {
		return this.tx(['pending'], 'readonly', (t) => {
			let found = false;
			onSuccess(pendingOf(t, name), (rows) => {
				const wanted = new Set(ids);
				found = (rows as PendingUpdate[]).some((r) => wanted.has(r.id));
			});
			return () => found;
		});
	}

	/** The document's unacknowledged rows, oldest first. */
	pendingUpdates(name: string): Promise<PendingUpdate[]> {
		return this.tx(['pending'], 'readonly', (t) => {
			let rows: PendingUpdate[] = [];
			onSuccess(pendingOf(t, name), (r) => (rows = r as PendingUpdate[]));
			return () => rows;
		});
	}

	/**
	 * The server has committed `committedSv` of this document: every pending row it covers is
	 * merged into the snapshot and deleted, in one transaction. Resolves to the number of rows
	 * moved.
	 *
	 * A row with no inserts (a deletion only, e.g. Y.Map.delete) has an empty state vector, so
	 * no vector can tell whether the server has it. It is taken with the first later row that
	 * is covered: one socket delivers changes in order and the server commits them in order,
	 * so a later change committed means the deletion was too. `sent` names rows known to be in
	 * the acknowledged commit whatever their vector (a feed push is acknowledged by itself).
	 */
	acknowledge(name: string, committedSv: Map<number, number>, opts: { sent?: readonly number[] } = {}): Promise<number> {
		const sent = new Set(opts.sent ?? []);
		return this.tx(['docs', 'pending'], 'readwrite', (t) => {
			let moved = 0;
			onSuccess(pendingOf(t, name), (result) => {
				const rows = result as PendingUpdate[];
				const take: PendingUpdate[] = [];
				let laterCovered = false;
				for (let i = rows.length - 1; i >= 0; i--) {
					const sv = Y.decodeStateVector(rows[i].sv);
					const covered = sent.has(rows[i].id) || (sv.size > 0 ? covers(committedSv, sv) : laterCovered);
					if (covered && sv.size > 0) laterCovered = true;
					if (covered) take.push(rows[i]);
				}
				take.reverse(); // oldest first
				if (take.length === 0) return;
				mergeIntoSnapshot(
					t.objectStore('docs'),
					name,
					take.map((r) => r.update)
				);
				const pending = t.objectStore('pending');
				for (const row of take) pending.delete(row.id);
				moved = take.length;
			});
			return () => moved;
		});
	}

	/** Stores record summaries as given (one transaction for any number). */
	putSummaries<S extends Summary>(summaries: readonly S[]): Promise<void> {
		return this.tx(['index'], 'readwrite', (t) => {
			const index = t.objectStore('index');
			for (const s of summaries) index.put(s);
			return () => undefined;
		});
	}

	deleteSummary(id: string): Promise<void> {
		return this.tx(['index'], 'readwrite', (t) => {
			t.objectStore('index').delete(id);
			return () => undefined;
		});
	}

	allSummaries<S extends Summary = Summary>(): Promise<S[]> {
		return this.tx(['index'], 'readonly', (t) => {
			let all: S[] = [];
			onSuccess(t.objectStore('index').getAll(), (r) => (all = r as S[]));
			return () => all;
		});
	}

	/** Removes a document everywhere: snapshot, pending changes and its summary. */
	deleteDoc(name: string): Promise<void> {
		return this.tx(['docs', 'pending', 'index', 'opened', 'evicted'], 'readwrite', (t) => {
			t.objectStore('docs').delete(name);
			t.objectStore('opened').delete(name);
			t.objectStore('evicted').delete(name);
			t.objectStore('index').delete(name);
			const pending = t.objectStore('pending');
			onSuccess(pending.index('doc').getAllKeys(name), (keys) => {
				for (const key of keys) pending.delete(key);
			});
			return () => undefined;
		});
	}

	/**
	 * The server refused this device's changes of `name` (or the user lost access): in ONE
	 * transaction, the unacknowledged rows move to the "not saved" list with the reason, and
	 * the document becomes the server's `state`, stays the committed snapshot (`state` null),
	 * or is deleted with its summary (`remove`). Resolves to whether anything was moved to the list.
	 */
	rebuildDoc(
		name: string,
		outcome: { remove: true } | { remove: false; state: Uint8Array | null },
		refusal: { code: number; reason: string; recordName: string }
	): Promise<boolean> {
		return this.tx(['docs', 'pending', 'index', 'notSaved'], 'readwrite', (t) => {
			let moved = false;
			const docs = t.objectStore('docs');
			const pending = t.objectStore('pending');
			onSuccess(docs.get(name), (row) => {
				const base = (row as DocRow | undefined)?.snapshot ?? null;
				onSuccess(pendingOf(t, name), (result) => {
					const rows = result as PendingUpdate[];
					if (rows.length > 0) {
						moved = true;
						const entry: Omit<NotSavedEntry, 'id'> = {
							doc: name,
							name: refusal.recordName,
							code: refusal.code,
							reason: refusal.reason,
							at: Date.now(),
							base,
							updates: rows.map((r) => r.update)
						};
						t.objectStore('notSaved').add(entry);
						for (const r of rows) pending.delete(r.id);
					}
					if (outcome.remove) {
						docs.delete(name);
						t.objectStore('index').delete(name);
					} else if (outcome.state) {
						docs.put({ name, snapshot: own(outcome.state), updatedAt: Date.now() } satisfies DocRow);
					}
				});
			});
			return () => moved;
		});
	}

	notSaved(): Promise<NotSavedEntry[]> {
		return this.tx(['notSaved'], 'readonly', (t) => {
			let all: NotSavedEntry[] = [];
			onSuccess(t.objectStore('notSaved').getAll(), (r) => (all = r as NotSavedEntry[]));
			return () => all;
		});
	}

	dismissNotSaved(id: number): Promise<void> {
		return this.tx(['notSaved'], 'readwrite', (t) => {
			t.objectStore('notSaved').delete(id);
			return () => undefined;
		});
	}

	getMeta<T = unknown>(key: string): Promise<T | undefined> {
		return this.tx(['meta'], 'readonly', (t) => {
			let value: T | undefined;
			onSuccess(t.objectStore('meta').get(key), (r) => (value = r as T | undefined));
			return () => value;
		});
	}

	setMeta(key: string, value: unknown): Promise<void> {
		return this.tx(['meta'], 'readwrite', (t) => {
			t.objectStore('meta').put(value, key);
			return () => undefined;
		});
	}

	/**
	 * Runs `body` in one transaction of this database (see runTx). For the store's sibling
	 * modules (device-cache.ts); pages and components go through the workspace.
	 */
	tx<T>(
		stores: StoreName[],
		mode: IDBTransactionMode,
		body: (t: IDBTransaction) => () => T,
		durability: IDBTransactionDurability = 'default'
	): Promise<T> {
		return runTx(this.db, stores, mode, body, durability);
	}
}

/**
 * The clock after the last insert of each client in `update`. Y.encodeStateVectorFromUpdate
 * is the wrong tool here: it tells what a doc holding only this update would have, counting
 * only runs that start at clock 0, so it is empty for every update but a doc's first one.
 */
export function updateEnd(update: Uint8Array): Map<number, number> {
	return Y.parseUpdateMeta(update).to;
}

/** The names of the documents with pending rows, each once, handed to `done` inside `t`. */
function pendingNames(t: IDBTransaction, done: (names: string[]) => void): void {
	const names: string[] = [];
	const req = t.objectStore('pending').index('doc').openKeyCursor(null, 'nextunique');
	onSuccess(req, (cursor) => {
		if (!cursor) return done(names);
		names.push(cursor.key as string);
		cursor.continue();
	});
}

function pendingOf(t: IDBTransaction, name: string): IDBRequest<unknown[]> {
	// Same index key, so the rows come in primary-key (= creation) order.
	return t.objectStore('pending').index('doc').getAll(name);
}

/** Reads the snapshot, merges `updates` into it and writes it back, inside `docs`'s transaction. */
function mergeIntoSnapshot(
	docs: IDBObjectStore,
	name: string,
	updates: Uint8Array[],
	then?: (snapshot: Uint8Array) => void
): void {
	onSuccess(docs.get(name), (r) => {
		const row = r as DocRow | undefined;
		// A document new to the device in one update (a catch-up's usual case) is stored as it came.
		const merged = row ? Y.mergeUpdates([row.snapshot, ...updates]) : updates.length === 1 ? updates[0] : Y.mergeUpdates(updates);
		const snapshot = own(merged);
		docs.put({ name, snapshot, updatedAt: Date.now() } satisfies DocRow);
		then?.(snapshot);
	});
}

/** Every client's changes start at clock 0: nothing is missing from the front (a whole document). */
function isWhole(update: Uint8Array): boolean {
	const { from, to } = Y.parseUpdateMeta(update);
	return to.size > 0 && [...from.values()].every((clock) => clock === 0);
}
