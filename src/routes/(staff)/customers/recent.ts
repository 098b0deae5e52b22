/**
 * Customers recently opened on this device, newest first, for the Overview (issue #14). Kept
 * in localStorage per user: a few ids, read synchronously and offline; names come from the
 * device's summaries when shown, so a record renamed, trashed or no longer readable is shown as
 * it is now (or not at all).
 */
export const RECENT_MAX = 8;

export interface RecentEntry {
	id: string;
	at: number;
}

type KeyValue = Pick<Storage, 'getItem' | 'setItem'>;

const key = (userId: string) => `fieldbook:recent:${userId}`;

export function readRecent(storage: KeyValue, userId: string): RecentEntry[] {
	try {
		const raw: unknown = JSON.parse(storage.getItem(key(userId)) ?? '[]');
		if (!Array.isArray(raw)) return [];
		return raw
			.filter(
				(e): e is RecentEntry => !!e && typeof e === 'object' && typeof e.id === 'string' && typeof e.at === 'number'
			)
			.slice(0, RECENT_MAX);
	} catch {
		return [];
	}
}

/** Puts `id` first; keeps at most RECENT_MAX. A full or blocked storage only loses the hint. */
export function rememberOpened(storage: KeyValue, userId: string, id: string, at = Date.now()): RecentEntry[] {
	const list = [{ id, at }, ...readRecent(storage, userId).filter((e) => e.id !== id)].slice(0, RECENT_MAX);
	try {
		storage.setItem(key(userId), JSON.stringify(list));
	} catch {
		// a hint only
	}
	return list;
}
