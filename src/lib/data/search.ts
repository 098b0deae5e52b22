/**
 * Lists and search over the device's local index (SPEC §4 "Lists", §5: offline, over every
 * readable record). Pure functions over CustomerSummary[]; each summaries array is indexed
 * once (search keys, name order) and the index is cached by the array's identity, so a
 * keystroke costs one pass of substring tests, never re-normalising or re-sorting every row.
 */
import type { CustomerSummary } from '$lib/schema/customer-doc';
import { DEFAULT_CONTACT_TYPE_ID } from '$lib/schema/settings';
import { phoneFindsDigits, phoneQuery, type CountryCode, type PhoneQuery } from '$lib/schema/phones';
import { fold, searchFold } from '$lib/schema/text-fold';
import {
	SORT_COLUMNS,
	SORT_ORDERS,
	isSortOrder,
	sortParts,
	sortRows,
	type SortColumn,
	type SortOrder
} from '$lib/schema/list-sort';
import {
	companyIndex,
	digitsOf,
	e164Of,
	nameWords,
	personIndex,
	type CompanyRow,
	type Entry,
	type Index,
	type PersonRow,
	type RowBase,
	warmPhones
} from './search-index';

export { SORT_COLUMNS, SORT_ORDERS, isSortOrder, sortParts, type SortColumn, type SortOrder };
export type { CompanyRow, PersonRow };

export interface ListQuery {
	/** What the user typed; every word must match (names, e-mail, phone, company). */
	text?: string;
	/** Only rows of this contact type; null or undefined = all types. */
	contactTypeId?: string | null;
	/**
	 * Ids of the types that exist. A record whose type was removed counts as the default type
	 * (as resolveContactType shows it), so filtering "Not specified" finds it.
	 */
	knownContactTypeIds?: readonly string[];
	/** "My customers": only customers this staff user manages. */
	managerId?: string | null;
	sort?: SortOrder;
	/**
	 * The workspace's default phone region (settings.ts readPhoneRegion): a phone of a record
	 * with no country is read in it, as the server's export of the list reads it.
	 */
	phoneRegion?: CountryCode | null;
}

/**
 * A search run lately, kept to answer the next keystroke (issue #15 item 2): typing repeats
 * or extends a query, and erasing returns to one just run. The same query again reuses its
 * matches; a query whose folded text extends an earlier one's narrows from that one's
 * matches — every word typed is found as a substring, and a longer word contains its
 * beginning, so every new match was a match before. Phone-like queries are only reused,
 * never narrowed from: their national and international forms (phones.ts) are not prefixes
 * of each other.
 */
interface Recent<R> {
	source: Entry<R>[];
	filters: string;
	text: string;
	phone: boolean;
	matched: Entry<R>[];
	rows: R[];
}
/** Searches kept per index: a query typed and erased again is all in it. */
const RECENT = 32;

/** Company customers (not in the trash), filtered and sorted. */
export function companyRows(summaries: readonly CustomerSummary[], query: ListQuery = {}): CompanyRow[] {
	return run(companyIndex(summaries), query);
}

/** Every live contact of every live customer, with its company (SPEC §4 "Persons"). */
export function personRows(summaries: readonly CustomerSummary[], query: ListQuery = {}): PersonRow[] {
	return run(personIndex(summaries), query);
}

/**
 * Reads the phones' E.164 forms of a list ahead of the first search written internationally,
 * in idle time (search-index.ts warmPhones); returns a function that stops it.
 */
export function warmPhoneSearch(
	summaries: readonly CustomerSummary[],
	list: 'companies' | 'persons',
	region: CountryCode | null
): () => void {
	return list === 'companies'
		? warmPhones(companyIndex(summaries).byName, region)
		: warmPhones(personIndex(summaries).byName, region);
}

/**
 * Companies whose name resembles `name`, for the duplicate hint while a new company's name is
 * typed (SPEC §4). Legal forms ("GmbH", "Ltd") are ignored; every typed word must begin a word
 * of the existing name, or every word of the existing name appears in what was typed.
 */
export function similarCompanies(summaries: readonly CustomerSummary[], name: string, limit = 5): CompanyRow[] {
	const typed = nameWords(name);
	if (typed.length === 0 || typed.join('').length < 2) return [];
	const typedSet = new Set(typed);
	const exact = typed.join(' ');
	const out: { row: CompanyRow; rank: number }[] = [];
	for (const e of companyIndex(summaries).byName) {
		const own = e.words ?? [];
		if (own.length === 0) continue;
		const joined = own.join(' ');
		if (joined === exact) out.push({ row: e.row, rank: 0 });
		else if (typed.every((t) => own.some((w) => w.startsWith(t)))) out.push({ row: e.row, rank: 1 });
		else if (own.every((w) => typedSet.has(w))) out.push({ row: e.row, rank: 2 });
	}
	// Stable sort: within a rank the name order of the index stays.
	return out
		.sort((a, b) => a.rank - b.rank)
		.slice(0, limit)
		.map((x) => x.row);
}

// One folding rule for the device's lists and the server's export of them.
export { fold, searchFold };

/** A query made of phone characters only: compared digit by digit. */
const PHONE_QUERY = /^[\d\s+\-()./]*\d[\d\s+\-()./]*$/;

function run<R extends RowBase>(index: Index<R>, q: ListQuery): R[] {
	const text = searchFold((q.text ?? '').trim());
	const tokens = text.split(/\s+/).filter(Boolean);
	// One rule for how a typed number is compared (schema/phones.ts phoneFinds), the server's
	// export of the list included: "08141 5566" and "+49 8141 5566" find each other; a number
	// written internationally is compared with the stored one's E.164 form where its country is
	// known (the record's, else the workspace's region), so "+33 …" does not find a German one.
	const phone = PHONE_QUERY.test(text) ? phoneQuery(text) : null;
	const region = q.phoneRegion ?? null;
	const known = q.knownContactTypeIds ? new Set(q.knownContactTypeIds) : null;
	const typeOf = (id: string | null) =>
		!id || (known && !known.has(id)) ? DEFAULT_CONTACT_TYPE_ID : id;
	const type = q.contactTypeId ?? null;
	const manager = q.managerId ?? null;

	let entries = index.byName;
	const order = q.sort && isSortOrder(q.sort) ? sortParts(q.sort) : { column: 'name' as const, dir: 'asc' as const };
	if (order === null) {
		index.byUpdated ??= [...index.byName].sort((a, b) => (b.row.updatedAt ?? 0) - (a.row.updatedAt ?? 0));
		entries = index.byUpdated;
	} else if (order.column !== 'name') {
		index.byColumn ??= new Map();
		let sorted = index.byColumn.get(order.column);
		if (!sorted) {
			const col = order.column;
			const value = (e: Entry<R>) => {
				const v = (e.row as unknown as Record<string, unknown>)[col];
				return typeof v === 'string' && v !== '' ? v : null;
			};
			sorted = sortRows(index.byName, value, 'asc');
			index.byColumn.set(col, sorted);
		}
		entries = sorted;
	}
	const filters = `${type}\u0000${manager}\u0000${q.knownContactTypeIds?.join('\u0001') ?? ''}\u0000${q.sort ?? ''}\u0000${region ?? ''}`;
	const recent = (index.recent ??= []) as Recent<R>[];
	const same = (r: Recent<R>) => r.source === entries && r.filters === filters;
	const hit = recent.findIndex((r) => same(r) && r.text === text);
	if (hit !== -1) {
		const [r] = recent.splice(hit, 1);
		recent.push(r);
		return r.rows;
	}
	// Narrow from the longest earlier query this one extends (none for a phone-like query).
	let from: Recent<R> | null = null;
	if (phone === null) {
		for (const r of recent) {
			if (same(r) && !r.phone && text.startsWith(r.text) && (!from || r.text.length > from.text.length)) from = r;
		}
	}
	const matched: Entry<R>[] = [];
	for (const e of from ? from.matched : entries) {
		const r = e.row;
		if (type !== null && typeOf(r.contactTypeId) !== type) continue;
		if (manager !== null && !r.managers.includes(manager)) continue;
		if (tokens.length > 0 && !matches(e, text, tokens, phone, region)) continue;
		matched.push(e);
	}
	const rows = ordered(
		matched.map((e) => e.row),
		order
	);
	recent.push({ source: entries, filters, text, phone: phone !== null, matched, rows });
	if (recent.length > RECENT) recent.shift();
	return rows;
}

/** Rows in the index's order turned as `order` asks: Z–A keeps empty values last. */
function ordered<R extends RowBase>(out: R[], order: { column: SortColumn; dir: 'asc' | 'desc' } | null): R[] {
	if (order?.dir !== 'desc') return out;
	if (order.column === 'name') return out.reverse();
	const col = order.column;
	const filled = (r: R) => {
		const v = (r as unknown as Record<string, unknown>)[col];
		return typeof v === 'string' && v !== '';
	};
	const n = out.findIndex((r) => !filled(r));
	return n === -1 ? out.reverse() : [...out.slice(0, n).reverse(), ...out.slice(n)];
}

function matches<R extends RowBase>(
	e: Entry<R>,
	text: string,
	tokens: string[],
	phone: PhoneQuery | null,
	workspaceRegion: CountryCode | null
): boolean {
	// A phone-like query is one string ("+49 30 12"), not words to find anywhere in the row.
	if (phone) {
		const digits = digitsOf(e);
		for (let i = 0; i < digits.length; i++) {
			if (phoneFindsDigits(phone, digits[i], () => e164Of(e, workspaceRegion)[i])) return true;
		}
		return e.key.includes(text);
	}
	if (tokens.length === 1) return e.key.includes(text);
	return tokens.every((t) => e.key.includes(t));
}
