/**
 * Restores a customer or a contact from the Trash page: the same Yjs write as Restore on the
 * customer page (customer-doc.ts), made through the record's live document, so it is kept on
 * the device and syncs like any other change — offline too.
 */
import type { Workspace } from '$lib/data/workspace.svelte';
import { readCustomer, restoreContact, restoreCustomer } from '$lib/schema/customer-doc';
import type { TrashItem } from './trash';

/** How long to wait for the server's copy of a record this device does not hold (evicted). */
const FETCH_WAIT_MS = 5000;

export type RestoreOutcome = 'restored' | 'unavailable';

export async function restoreItem(ws: Workspace, item: TrashItem): Promise<RestoreOutcome> {
	const live = await ws.open(item.customerId);
	try {
		// A record dropped to free space is fetched whole when opened online: never write into
		// an empty copy (that would be a record with nothing but a restore in it).
		if (!holdsCustomer(live.doc)) await synced(live.provider, FETCH_WAIT_MS);
		if (!holdsCustomer(live.doc)) return 'unavailable';
		if (item.contactId) restoreContact(live.doc, item.contactId);
		else restoreCustomer(live.doc);
		await live.flush();
		await ws.recordChanged(item.customerId, live.doc);
		return 'restored';
	} finally {
		await live.close();
	}
}

const holdsCustomer = (doc: Parameters<typeof readCustomer>[0]) => {
	const kind = readCustomer(doc).kind;
	return kind === 'company' || kind === 'person';
};

interface SyncEmitter {
	synced: boolean;
	on(event: 'sync', f: (synced: boolean) => void): void;
	off(event: 'sync', f: (synced: boolean) => void): void;
}

function synced(provider: SyncEmitter, ms: number): Promise<void> {
	if (provider.synced || !navigator.onLine) return Promise.resolve();
	return new Promise((resolve) => {
		const done = () => {
			clearTimeout(timer);
			provider.off('sync', done);
			resolve();
		};
		const timer = setTimeout(done, ms);
		provider.on('sync', done);
	});
}
