/**
 * The staff directory on this device: names for the managers picker and for the manager ids
 * a record holds (SPEC §2). The server's copy whenever it answers; otherwise the last copy,
 * kept in the user's device database, so the picker and the names work offline.
 */
import { parseDirectory, type DirectoryEntry } from '$lib/schema/staff';
import type { DeviceStore } from './device-store';

export const DIRECTORY_URL = '/api/staff/directory';
const META_KEY = 'staffDirectory';

type MetaStore = Pick<DeviceStore, 'getMeta' | 'setMeta'>;

/** The copy this device kept (empty before the first answer from the server). */
export async function cachedDirectory(store: MetaStore): Promise<DirectoryEntry[]> {
	return parseDirectory({ staff: await store.getMeta(META_KEY) }) ?? [];
}

/** Asks the server; keeps and returns its answer, or null when it could not be reached or refused. */
export async function fetchDirectory(store: MetaStore, fetcher: typeof fetch = fetch): Promise<DirectoryEntry[] | null> {
	let list: DirectoryEntry[] | null;
	try {
		const res = await fetcher(DIRECTORY_URL, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
		if (!res.ok) return null;
		list = parseDirectory(await res.json());
	} catch {
		return null; // offline: the device's copy stays
	}
	if (list) await store.setMeta(META_KEY, list);
	return list;
}

/** Whom the managers picker offers: active staff who do not manage the record yet, by name. */
export function managerCandidates(directory: readonly DirectoryEntry[], managers: readonly string[]): DirectoryEntry[] {
	const taken = new Set(managers);
	return directory
		.filter((e) => e.active && !taken.has(e.id))
		.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}
