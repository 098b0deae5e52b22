/**
 * The first rows of a list as it was last shown, kept on the device per user (localStorage:
 * read synchronously, offline too), so that a start paints the list before the workspace has
 * read every summary from IndexedDB and built the search index (issue #15 item 2: offline
 * first paint). Only the plain list is kept — no search, filter, column or other sort — and
 * it is replaced by the live rows as soon as the workspace is open. Like the recently opened
 * customers (customers/recent.ts), it is the signed-in user's own data on their own device.
 */
import type { ContactType } from '$lib/schema/settings';
import type { CountryCode } from '$lib/schema/phones';

export interface FirstPage<R> {
	/** Rows the list held ("of 10,000"). */
	total: number;
	/** Rows in its first page ("Showing 100"). */
	inPage: number;
	/** The first rows, as drawn. */
	rows: R[];
	/** The contact types, for the rows' type names. */
	types: ContactType[];
	phoneRegion: CountryCode | null;
}

export type ListName = 'companies' | 'persons';

/** Rows kept: more than a tall screen shows. */
export const FIRST_ROWS = 40;

const key = (userId: string, list: ListName) => `fieldbook:first-page:${list}:${userId}`;

/** The kept first page, or null when there is none or it is not one this app wrote. */
export function readFirstPage<R extends { id: string; customerId: string; name: string }>(
	storage: Pick<Storage, 'getItem'>,
	userId: string,
	list: ListName
): FirstPage<R> | null {
	try {
		const raw = storage.getItem(key(userId, list));
		if (!raw) return null;
		const v = JSON.parse(raw) as Partial<FirstPage<R>> | null;
		if (!v || typeof v !== 'object') return null;
		const { total, inPage, rows, types, phoneRegion } = v;
		const count = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
		if (!count(total) || !count(inPage) || inPage > total || !Array.isArray(rows) || !Array.isArray(types)) return null;
		const rowOk = (r: unknown) => {
			const o = r as Record<string, unknown> | null;
			return !!o && typeof o.id === 'string' && typeof o.customerId === 'string' && typeof o.name === 'string';
		};
		if (rows.length > inPage || !rows.every(rowOk)) return null;
		if (!types.every((t) => !!t && typeof (t as ContactType).id === 'string')) return null;
		return { total, inPage, rows, types, phoneRegion: typeof phoneRegion === 'string' ? phoneRegion : null };
	} catch {
		return null; // unreadable: the list waits for the workspace, as without one
	}
}

/** Keeps the first page of the plain list; a full storage only loses this hint. */
export function keepFirstPage<R>(
	storage: Pick<Storage, 'setItem'>,
	userId: string,
	list: ListName,
	page: FirstPage<R>
): void {
	try {
		storage.setItem(key(userId, list), JSON.stringify({ ...page, rows: page.rows.slice(0, FIRST_ROWS) }));
	} catch {
		// quota: the next start waits for the workspace
	}
}

/** keepFirstPage when the browser is idle (a list that changes often writes once per quiet moment); returns a cancel. */
export function keepFirstPageSoon<R>(userId: string, list: ListName, page: FirstPage<R>): () => void {
	const keep = () => keepFirstPage(localStorage, userId, list, page);
	if (typeof requestIdleCallback === 'function') {
		const h = requestIdleCallback(keep, { timeout: 1000 });
		return () => cancelIdleCallback(h);
	}
	const t = setTimeout(keep, 200);
	return () => clearTimeout(t);
}
