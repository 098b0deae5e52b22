/**
 * What the Overview shows at a glance (issue #14), from the device's summaries — so it works
 * offline: recently opened customers that still exist and are readable, the customers the user
 * manages, and counts that match the Companies and Persons lists and the Trash.
 */
import type { CustomerSummary } from '$lib/schema/customer-doc';
import type { RecentEntry } from './recent';

export interface Overview {
	recent: CustomerSummary[];
	/** Customers the user manages, by name; at most `limit` of `mineCount`. */
	mine: CustomerSummary[];
	mineCount: number;
	companies: number;
	/** Contacts of customers not in the trash (the Persons list). */
	persons: number;
	/** Customers in the trash and contacts in the trash of the others (the Trash page). */
	trash: number;
}

export function overview(
	summaries: readonly CustomerSummary[],
	userId: string,
	recent: readonly RecentEntry[],
	opts: { limit?: number; locale?: string } = {}
): Overview {
	const limit = opts.limit ?? 6;
	const byId = new Map(summaries.map((s) => [s.id, s]));
	const collator = new Intl.Collator(opts.locale, { sensitivity: 'base', numeric: true });
	let companies = 0;
	let persons = 0;
	let trash = 0;
	const mine: CustomerSummary[] = [];
	for (const s of summaries) {
		if (s.deletedAt != null) {
			trash++;
			continue;
		}
		if (s.kind === 'company') companies++;
		persons += s.contacts.length;
		trash += s.trashedContacts?.length ?? 0;
		if (s.managers.includes(userId)) mine.push(s);
	}
	mine.sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1));
	return {
		recent: recent
			.map((e) => byId.get(e.id))
			.filter((s): s is CustomerSummary => !!s && s.deletedAt == null)
			.slice(0, limit),
		mine: mine.slice(0, limit),
		mineCount: mine.length,
		companies,
		persons,
		trash
	};
}
