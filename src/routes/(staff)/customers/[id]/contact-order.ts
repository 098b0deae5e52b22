/**
 * The order contacts are shown in on a customer page: the primary first, then by name as it is
 * shown ("First Last"), in the order of the Persons list (locale-aware, case- and
 * accent-insensitive, numbers by value), ties by id so the order never jumps between renders.
 */
import type { ContactRecord } from '$lib/schema/customer-doc';

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

export const contactName = (c: Pick<ContactRecord, 'firstName' | 'lastName'>): string =>
	`${text(c.firstName)} ${text(c.lastName)}`.trim();

export function sortContacts<C extends ContactRecord>(contacts: readonly C[], locale?: string): C[] {
	const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
	return [...contacts].sort(
		(a, b) =>
			Number(b.primary) - Number(a.primary) ||
			collator.compare(contactName(a), contactName(b)) ||
			(a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
	);
}
