/**
 * What this device may drop to make room, and what it never drops.
 *
 * Only this device holds its pending changes (rows the server has not acknowledged), its
 * "not saved" entries and its queued commands (localStorage): those are never dropped. A
 * record's committed snapshot came from the server and can be fetched again, so a record the
 * user only read — no pending rows, not open, not opened lately — may be dropped when a write
 * fails for lack of space. Its summary stays, so it stays in lists and search; the record is
 * marked `evicted`, its feed changes are not stored meanwhile (alone they would be a half
 * document), and opening it online fetches it whole again (DeviceStore.hasCommitted).
 */
import { SETTINGS_DOC } from '$lib/schema/settings';
import type { DeviceStore } from './device-store';
import { onSuccess } from './idb';

/** Records opened on this device within this long are not dropped (unless asked for everything). */
export const RECENT_MS = 7 * 86_400_000;

export interface OpenedRow {
	name: string;
	at: number;
}

/** Notes that `name` was opened now (best effort: failing to note it must not stop the opening). */
export function markOpened(store: DeviceStore, name: string, at = Date.now()): Promise<void> {
	return store.tx(['opened'], 'readwrite', (t) => {
		t.objectStore('opened').put({ name, at } satisfies OpenedRow);
		return () => undefined;
	});
}

export interface EvictOptions {
	/** Records opened at or after this time stay (default: RECENT_MS ago). */
	openedBefore?: number;
	/** Records open on screen now, whatever their age. */
	keep?: Iterable<string>;
}

/**
 * Drops the committed snapshots of records that are only cached, in ONE transaction, deletes
 * first (on a full disk they are what makes room). Never touches pending rows, "not saved"
 * entries or summaries. Resolves to the names dropped.
 */
export function evictCached(store: DeviceStore, opts: EvictOptions = {}): Promise<string[]> {
	const cutoff = opts.openedBefore ?? Date.now() - RECENT_MS;
	const keep = new Set(opts.keep ?? []);
	keep.add(SETTINGS_DOC); // contact types and defaults are needed offline
	return store.tx(['docs', 'pending', 'opened', 'evicted'], 'readwrite', (t) => {
		const dropped: string[] = [];
		const skip = new Set(keep);
		let names: string[] = [];
		// Requests run in order: both reads are in before the cursor's first step.
		onSuccess(t.objectStore('docs').getAllKeys(), (keys) => (names = keys as string[]));
		onSuccess(t.objectStore('opened').getAll(), (rows) => recentOf(rows, cutoff, skip));
		onSuccess(t.objectStore('pending').index('doc').openKeyCursor(null, 'nextunique'), (c) => {
			if (c) {
				skip.add(c.key as string); // a record with changes waiting is never dropped
				return c.continue();
			}
			const docs = t.objectStore('docs');
			for (const name of names) {
				if (skip.has(name)) continue;
				docs.delete(name);
				dropped.push(name);
			}
			const evicted = t.objectStore('evicted');
			for (const name of dropped) evicted.put({ name });
		});
		return () => dropped;
	});
}

/** How many records could be dropped now (see evictCached), for the device page. */
export function countEvictable(store: DeviceStore, opts: EvictOptions = {}): Promise<number> {
	const cutoff = opts.openedBefore ?? Date.now() - RECENT_MS;
	const keep = new Set(opts.keep ?? []);
	keep.add(SETTINGS_DOC);
	return store.tx(['docs', 'pending', 'opened'], 'readonly', (t) => {
		let names: string[] = [];
		const skip = new Set<string>(keep);
		onSuccess(t.objectStore('docs').getAllKeys(), (keys) => (names = keys as string[]));
		onSuccess(t.objectStore('pending').getAll(), (rows) => {
			for (const r of rows as { doc: string }[]) skip.add(r.doc);
		});
		onSuccess(t.objectStore('opened').getAll(), (rows) => recentOf(rows, cutoff, skip));
		return () => names.filter((n) => !skip.has(n)).length;
	});
}

/** Adds the records opened at or after `cutoff` to `into` (a few hundred rows at most). */
function recentOf(rows: unknown[], cutoff: number, into: Set<string>): void {
	for (const r of rows as OpenedRow[]) if (r.at >= cutoff) into.add(r.name);
}

/** When the oldest change still waiting for the server was made (null: none waits). */
export function oldestPendingAt(store: DeviceStore): Promise<number | null> {
	return store.tx(['pending'], 'readonly', (t) => {
		let at: number | null = null;
		// Keys grow with every row: the first row is the oldest.
		onSuccess(t.objectStore('pending').openCursor(), (c) => {
			if (c) at = (c.value as { createdAt: number }).createdAt;
		});
		return () => at;
	});
}
