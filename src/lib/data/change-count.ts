/**
 * "N changes waiting" counts what the user changed, not records or storage rows (issue #14,
 * item 7): one edited field is one change however often it was retyped, a new record or a new
 * contact is one change, and the stamps every edit writes (updatedAt/By) are no change of
 * their own. A record with three fields edited offline shows "3 changes waiting".
 *
 * The count comes from Yjs itself: the committed snapshot is loaded, the pending updates are
 * applied in one transaction, and the transaction's `changed` map names each type and key
 * that changed. Types created inside that transaction (a new contact's own fields) are not in
 * it, so a new contact counts once, under the key that added it.
 */
import * as Y from 'yjs';
import { contactsMap, customerMap, managersMap } from '$lib/schema/customer-doc';
import type { DeviceStore, DocRow, PendingUpdate } from './device-store';
import { onSuccess } from './idb';

/** Keys every edit writes beside the field itself: bookkeeping, not a change of their own. */
const STAMPS = new Set(['updatedAt', 'updatedBy', 'deletedBy']);

/** Changes in `pending` over the committed `snapshot` (null: the record is new on this device). */
export function countChanges(snapshot: Uint8Array | null, pending: readonly Uint8Array[]): number {
	if (pending.length === 0) return 0;
	// Everything done to a record the server has never seen is one change: its creation.
	if (snapshot === null) return 1;
	const doc = new Y.Doc();
	Y.applyUpdate(doc, snapshot);
	// Root types read before the changes, so that `changed` holds them as maps.
	const contacts = contactsMap(doc);
	customerMap(doc);
	managersMap(doc);
	let count = 0;
	doc.on('afterTransaction', (tr: Y.Transaction) => {
		const added = new Set<string | null>();
		for (const [type, keys] of tr.changed) if ((type as unknown) === contacts) for (const k of keys) added.add(k);
		for (const [type, keys] of tr.changed) {
			// A text or list changed as a whole counts once (its key is null).
			if (keys.has(null)) count += 1;
			for (const key of keys) {
				if (key === null || STAMPS.has(key)) continue;
				// The first contact of a record becomes primary with it: one change, not two.
				if (key === 'primaryContactId' && type instanceof Y.Map && added.has(String(type.get(key)))) continue;
				count += 1;
			}
		}
	});
	doc.transact(() => {
		for (const u of pending) Y.applyUpdate(doc, u);
	});
	doc.destroy();
	// A change that only deletes (a cleared list entry) still waits: never show 0 for waiting rows.
	return Math.max(count, 1);
}

/**
 * Counts the changes waiting on the device, per document, skipping `skip` (the settings).
 * Counts are kept per document while its pending rows stay the same, so a new edit of one
 * record does not recount the others.
 */
export class ChangeCounter {
	private cache = new Map<string, { key: string; count: number }>();

	async count(store: DeviceStore, skip: ReadonlySet<string>): Promise<Map<string, number>> {
		const rows = await readPending(store, skip, (name, key) => this.cache.get(name)?.key === key);
		const out = new Map<string, number>();
		for (const [name, { key, snapshot, updates }] of rows) {
			const cached = this.cache.get(name);
			const count = cached && cached.key === key ? cached.count : countChanges(snapshot, updates);
			this.cache.set(name, { key, count });
			out.set(name, count);
		}
		for (const name of this.cache.keys()) if (!out.has(name)) this.cache.delete(name);
		return out;
	}
}

interface DocPending {
	key: string;
	snapshot: Uint8Array | null;
	updates: Uint8Array[];
}

/** Every pending row grouped by document, with the snapshots of those not counted yet: one transaction. */
function readPending(
	store: DeviceStore,
	skip: ReadonlySet<string>,
	known: (name: string, key: string) => boolean
): Promise<Map<string, DocPending>> {
	return store.tx(['pending', 'docs'], 'readonly', (t) => {
		const out = new Map<string, DocPending>();
		onSuccess(t.objectStore('pending').getAll(), (all) => {
			const byDoc = new Map<string, PendingUpdate[]>();
			for (const row of all as PendingUpdate[]) {
				if (skip.has(row.doc)) continue;
				const list = byDoc.get(row.doc);
				if (list) list.push(row);
				else byDoc.set(row.doc, [row]);
			}
			for (const [name, list] of byDoc) {
				const key = `${list.length}:${list[list.length - 1].id}`;
				const entry: DocPending = { key, snapshot: null, updates: [] };
				out.set(name, entry);
				if (known(name, key)) continue;
				entry.updates = list.map((r) => r.update);
				onSuccess(t.objectStore('docs').get(name), (r) => (entry.snapshot = (r as DocRow | undefined)?.snapshot ?? null));
			}
		});
		return () => out;
	});
}
