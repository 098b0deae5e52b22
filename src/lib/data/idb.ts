/**
 * The one way Fieldbook runs an IndexedDB transaction, shared by the device store's modules.
 *
 * A transaction settles on `complete` (not on the last request's success, which can still be
 * rolled back) or on `abort`, with the transaction's own error. A full disk shows up only
 * there: Chromium commits the requests, then aborts the transaction with a
 * QuotaExceededError, and every request still pending gets a bare AbortError first. So the
 * error reported is the transaction's, never an AbortError that only echoes it.
 */

export type StoreName = 'docs' | 'pending' | 'index' | 'meta' | 'notSaved' | 'opened' | 'evicted';

/**
 * Runs `body` in one transaction. `body` issues its requests synchronously (more may be
 * chained from their callbacks) and returns a reader for the result, called on `complete`.
 */
export function runTx<T>(
	db: IDBDatabase,
	stores: StoreName[],
	mode: IDBTransactionMode,
	body: (t: IDBTransaction) => () => T,
	durability: IDBTransactionDurability = 'default'
): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		let t: IDBTransaction;
		try {
			t = db.transaction(stores, mode, { durability });
		} catch (e) {
			return reject(asError(e));
		}
		let read: () => T = () => undefined as T;
		let failed = false;
		let requestError: unknown = null;
		const fail = (error: unknown) => {
			if (failed) return;
			failed = true;
			reject(asError(error));
		};
		t.oncomplete = () => {
			if (failed) return;
			try {
				resolve(read());
			} catch (e) {
				fail(e);
			}
		};
		// A request's error bubbles here before the abort; keep the first real one.
		t.onerror = (event) => {
			const error = (event.target as IDBRequest | null)?.error;
			if (error && error.name !== 'AbortError') requestError ??= error;
		};
		t.onabort = () => fail(t.error ?? requestError ?? new DOMException('Transaction aborted', 'AbortError'));
		try {
			read = body(t);
		} catch (e) {
			fail(e);
			t.abort();
		}
	});
}

/** The device has no room left for this write (Chromium, Safari, Firefox spell it alike today). */
export function isQuotaError(e: unknown): boolean {
	const name = (e as { name?: unknown } | null)?.name;
	return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

export function onSuccess<R>(req: IDBRequest<R>, fn: (result: R) => void): void {
	req.onsuccess = () => fn(req.result);
}

/**
 * A Uint8Array that is a view into a larger buffer (lib0's decoder returns such views of a
 * whole socket message) would be stored with all of that buffer by the structured clone.
 */
export function own(u: Uint8Array): Uint8Array {
	return u.byteOffset === 0 && u.byteLength === u.buffer.byteLength ? u : u.slice();
}

/** A DOMException is an Error in today's engines; keep its name either way. */
function asError(e: unknown): Error {
	if (e instanceof Error) return e;
	if (e && typeof e === 'object' && 'name' in e) return Object.assign(new Error(String((e as { message?: unknown }).message ?? e)), { name: (e as { name: string }).name });
	return new Error(String(e ?? 'IndexedDB transaction failed'));
}
