/**
 * Keeps a live Y.Doc in the DeviceStore. Local changes become pending rows (the server has
 * not acknowledged them); changes applied by the network provider are committed state and go
 * into the snapshot, since Fieldbook's server sends out only what it has committed.
 *
 * y-websocket applies every remote update with the provider itself as the transaction origin
 * (y-protocols' readSyncMessage(decoder, encoder, provider.doc, provider)), so:
 *
 *   const provider = new WebsocketProvider(url, name, doc, { connect: false, params: ackParams });
 *   const binding = await bindDoc(store, name, doc, { remoteOrigin: provider });
 *   provider.connect(); // bound first: the initial sync step 2 is not missed
 *
 * Writes are queued and coalesced: the updates of one tick go to the store in one transaction.
 * A write that fails (a full disk: QuotaExceededError) loses nothing: the transaction wrote
 * nothing, its updates stay queued in memory (and in the Y.Doc on screen), and the write is
 * tried again with a backoff, with the next change, on retry(), and after unbind — until it
 * lands. Only discard() drops them.
 */
import * as Y from 'yjs';
import { covers } from './acks';
import { updateEnd, type DeviceStore } from './device-store';

/** Transaction origin of state applied from the device store; never written back. */
export const storeOrigin = Symbol('fieldbook:device-store');

export interface BindOptions {
	/** The transaction origin of committed updates from the server (the WebsocketProvider). */
	remoteOrigin?: unknown;
	/** Instead of `remoteOrigin`, when several origins carry committed state (live socket, feed). */
	isRemote?: (origin: unknown) => boolean;
	/** Failed background writes (they stay queued and are retried; see the file comment). */
	onError?: (error: unknown) => void;
	/** Everything queued was written after an earlier write failed. */
	onRecovered?: () => void;
	/** First retry delay after a failed write; doubles up to RETRY_MAX_MS. */
	retryMs?: number;
}

export const RETRY_MAX_MS = 30_000;

export interface DocBinding {
	/** Writes everything queued so far; rejects if the store refused it. */
	flush(): Promise<void>;
	/** Resolves when nothing is queued or being written (errors go to onError). */
	whenIdle(): Promise<void>;
	/** Tries a failed write again now (space was freed). */
	retry(): void;
	/** Since when changes wait in memory because writing them failed; null when none do. */
	readonly failingSince: number | null;
	/**
	 * Flushes, then moves the pending rows `committedSv` covers into the snapshot. Use this
	 * rather than store.acknowledge on an ack: a row still in the queue would miss that ack.
	 */
	acknowledge(committedSv: Map<number, number>): Promise<number>;
	/** Stops listening and writes what is queued. Also runs when the doc is destroyed. */
	unbind(): Promise<void>;
	/**
	 * Stops listening and drops what is queued, writing nothing more: the server refused this
	 * document's local changes and the device store is being rebuilt from the server's state.
	 */
	discard(): void;
}

interface Queued {
	remote: boolean;
	update: Uint8Array;
}

export async function bindDoc(
	store: DeviceStore,
	name: string,
	doc: Y.Doc,
	opts: BindOptions = {}
): Promise<DocBinding> {
	const isRemote = opts.isRemote ?? ((origin: unknown) => opts.remoteOrigin !== undefined && origin === opts.remoteOrigin);
	const onError = opts.onError ?? ((e: unknown) => console.error(`device store: writing ${name} failed`, e));
	let queue: Queued[] = [];
	let running: Promise<void> | null = null;
	let scheduled = false;
	let unbound = false;
	let discarded = false;
	let failingSince: number | null = null;
	let retryTimer: ReturnType<typeof setTimeout> | null = null;
	let retryDelay = opts.retryMs ?? 1000;

	const write = (batch: Queued[]) => {
		const remote = batch.filter((q) => q.remote).map((q) => q.update);
		const local = batch.filter((q) => !q.remote).map((q) => q.update);
		return store.write(name, {
			committed: remote.length > 0 ? Y.mergeUpdates(remote) : null,
			pending: pendingRows(local)
		});
	};

	const drain = async () => {
		while (queue.length > 0) {
			const batch = queue;
			queue = [];
			try {
				await write(batch);
			} catch (e) {
				queue = batch.concat(queue);
				throw e;
			}
		}
	};

	const pump = (): Promise<void> => {
		if (running) return running;
		if (queue.length === 0) return Promise.resolve();
		running = drain().then(
			() => {
				running = null;
				if (failingSince !== null && queue.length === 0) {
					failingSince = null;
					retryDelay = opts.retryMs ?? 1000;
					if (retryTimer) clearTimeout(retryTimer);
					retryTimer = null;
					opts.onRecovered?.();
				}
				// Updates queued after drain's last check but before this callback.
				if (queue.length > 0) schedule();
			},
			(e: unknown) => {
				running = null;
				failingSince ??= Date.now();
				retryLater();
				onError(e); // reported once here; flush() callers also get the rejection
				throw e;
			}
		);
		return running;
	};

	/** The queue is kept; try again later even if no new change comes (nor anyone waits). */
	function retryLater(): void {
		if (retryTimer || discarded) return;
		retryTimer = setTimeout(() => {
			retryTimer = null;
			retryDelay = Math.min(RETRY_MAX_MS, retryDelay * 2);
			schedule();
		}, retryDelay);
	}

	function schedule(): void {
		if (scheduled || discarded) return;
		scheduled = true;
		queueMicrotask(() => {
			scheduled = false;
			pump().catch(() => undefined); // reported by pump
		});
	}

	const flush = async () => {
		while (running || queue.length > 0) await pump();
	};

	const onUpdate = (update: Uint8Array, origin: unknown) => {
		if (origin === storeOrigin) return;
		queue.push({ remote: isRemote(origin), update });
		schedule();
	};

	const unbind = async () => {
		if (unbound) return flush();
		unbound = true;
		doc.off('update', onUpdate);
		doc.off('destroy', onDestroy);
		await flush();
	};
	const onDestroy = () => {
		unbind().catch(() => undefined); // reported by pump
	};

	// Listening from the start, so nothing made while the stored state loads is missed.
	const before = Y.encodeStateAsUpdate(doc);
	doc.on('update', onUpdate);
	doc.on('destroy', onDestroy);
	let stored: Uint8Array[];
	try {
		stored = await store.loadDoc(name);
	} catch (e) {
		doc.off('update', onUpdate);
		doc.off('destroy', onDestroy);
		throw e;
	}
	doc.transact(() => {
		for (const update of stored) Y.applyUpdate(doc, update, storeOrigin);
	}, storeOrigin);

	// Content the doc had before binding (a customer created, then bound) is a local change.
	const beforeSv = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(before));
	if (beforeSv.size > 0) {
		const storedSv =
			stored.length > 0 ? Y.encodeStateVectorFromUpdate(Y.mergeUpdates(stored)) : Y.encodeStateVector(new Map());
		if (!covers(Y.decodeStateVector(storedSv), beforeSv)) {
			queue.unshift({ remote: false, update: Y.diffUpdate(before, storedSv) });
			schedule();
		}
	}

	return {
		flush,
		whenIdle: () => flush().catch(() => undefined),
		retry: () => {
			if (retryTimer) clearTimeout(retryTimer);
			retryTimer = null;
			retryDelay = opts.retryMs ?? 1000;
			schedule();
		},
		get failingSince() {
			return failingSince;
		},
		acknowledge: async (committedSv) => {
			await flush();
			return store.acknowledge(name, committedSv);
		},
		unbind,
		discard: () => {
			unbound = true;
			discarded = true;
			if (retryTimer) clearTimeout(retryTimer);
			queue = [];
			doc.off('update', onUpdate);
			doc.off('destroy', onDestroy);
		}
	};
}

/**
 * Local updates of one tick as at most two pending rows. Everything up to the last update
 * that inserts becomes one row: that insert has the row's highest clock, and the provider
 * sent the updates in order (the server commits a socket's messages in order), so the
 * committed vector covers the row exactly when all of it is committed. Deletions-only
 * updates after it have no clock to be covered by: they form a row of their own, which
 * DeviceStore.acknowledge takes with the next covered row.
 */
function pendingRows(updates: Uint8Array[]): Uint8Array[] {
	let last = updates.length - 1;
	while (last >= 0 && updateEnd(updates[last]).size === 0) last--;
	const head = updates.slice(0, last + 1);
	const tail = updates.slice(last + 1);
	return [head, tail].filter((run) => run.length > 0).map((run) => Y.mergeUpdates(run));
}
