/**
 * The duplicate e-mail flag as a person resolves it (SPEC §2, §6; issue #14 item 4). The server
 * sets `duplicateEmail` on every live contact whose address another live contact uses, in any
 * customer. This device can only name the other contacts it can read — those in its local
 * index of summaries; when the flag is set but none of them shares the address, the other one
 * is in a record this user cannot open, and is not named.
 */
import type { CustomerSummary } from '$lib/schema/customer-doc';
import { emailKey, type CustomerKind } from '$lib/schema/records';

/** Another live contact with the same address, in a record this device can read. */
export interface SameEmailContact {
	contactId: string;
	/** The customer it belongs to (its page opens it). */
	customerId: string;
	customerKind: CustomerKind;
	/** "First Last" (may be empty). */
	name: string;
	/** The company's name, or for an individual customer the person's. */
	customerName: string;
}

export interface DuplicateEmail {
	/** The other readable contacts with the same address, by customer then contact name. */
	others: SameEmailContact[];
	/** Flagged, yet no readable contact shares the address: it is in a record this user cannot open. */
	unreadable: boolean;
}


/**
 * The other live contacts (of live customers) in `summaries` whose e-mail is the same as
 * `contact`'s, trimmed and case-insensitive; never the contact itself.
 */
export function sameEmailContacts(
	summaries: readonly CustomerSummary[],
	contact: { id: string; email?: unknown }
): SameEmailContact[] {
	const key = emailKey(contact.email);
	if (key === null) return [];
	const out: SameEmailContact[] = [];
	for (const s of summaries) {
		if (s.deletedAt != null) continue;
		for (const c of s.contacts) {
			if (c.id === contact.id || emailKey(c.email) !== key) continue;
			out.push({
				contactId: c.id,
				customerId: s.id,
				customerKind: s.kind,
				name: `${c.firstName} ${c.lastName}`.trim(),
				customerName: s.name
			});
		}
	}
	return out.sort(
		(a, b) =>
			a.customerName.localeCompare(b.customerName) || a.name.localeCompare(b.name) || cmp(a.contactId, b.contactId)
	);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What to tell about a contact's address: null unless the server flagged it as a duplicate
 * (the device's own guess never raises the mark: the server decides, over every record).
 */
export function duplicateEmail(
	summaries: readonly CustomerSummary[],
	contact: { id: string; email?: unknown; duplicateEmail?: unknown }
): DuplicateEmail | null {
	if (contact.duplicateEmail !== true) return null;
	const others = sameEmailContacts(summaries, contact);
	return { others, unreadable: others.length === 0 };
}
