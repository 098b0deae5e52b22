/**
 * What the Trash page lists (SPEC §2: deleted records can be restored for 30 days): customers
 * in the trash and contacts in the trash of customers that are not, from the device's
 * summaries — every record the user may read, offline. A trashed customer's contacts come back
 * with it, so they are not listed one by one.
 */
import { canWrite, type StaffRef } from '$lib/schema/access';
import { purgeAt, type CustomerSummary } from '$lib/schema/customer-doc';

export interface TrashItem {
	/** Unique among the items: the customer's id, or the contact's. */
	key: string;
	kind: 'customer' | 'contact';
	customerId: string;
	contactId: string | null;
	/** The record's own name ('' when it has none). */
	name: string;
	/** The customer's name (for a contact: the customer it belongs to). */
	customerName: string;
	deletedAt: number;
	purgeAt: number;
	/** Restoring is a write: managers, admins, or anyone on a public-write record (SPEC §2). */
	canRestore: boolean;
}

export function trashItems(summaries: readonly CustomerSummary[], user: StaffRef): TrashItem[] {
	const out: TrashItem[] = [];
	for (const s of summaries) {
		const canRestore = canWrite(user, { access: s.access, managers: new Set(s.managers) });
		if (s.deletedAt != null) {
			out.push({
				key: s.id,
				kind: 'customer',
				customerId: s.id,
				contactId: null,
				name: s.name,
				customerName: s.name,
				deletedAt: s.deletedAt,
				purgeAt: purgeAt(s.deletedAt),
				canRestore
			});
			continue;
		}
		for (const c of s.trashedContacts ?? []) {
			out.push({
				key: c.id,
				kind: 'contact',
				customerId: s.id,
				contactId: c.id,
				name: `${c.firstName} ${c.lastName}`.trim(),
				customerName: s.name,
				deletedAt: c.deletedAt,
				purgeAt: purgeAt(c.deletedAt),
				canRestore
			});
		}
	}
	// Most recently deleted first: what was just deleted is what is looked for.
	return out.sort((a, b) => b.deletedAt - a.deletedAt || (a.key < b.key ? -1 : 1));
}
