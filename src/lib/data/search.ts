/**
 * Lists and search over the device's local index (SPEC §4 "Lists", §5: offline, over every
 * readable record). Pure functions over CustomerSummary[]; each summaries array is indexed
 * once (search keys, name order) and the index is cached by the array's identity, so a
 * keystroke costs one pass of substring tests, never re-normalising or re-sorting every row.
 */
import type { CustomerSummary } from '$lib/schema/customer-doc';
import type { Access, CustomerKind, FieldValue } from '$lib/schema/records';
import { DEFAULT_CONTACT_TYPE_ID } from '$lib/schema/settings';
import { phoneFinds, phoneQuery, phoneValue, recordRegion, type CountryCode, type PhoneQuery } from '$lib/schema/phones';
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

export { SORT_COLUMNS, SORT_ORDERS, isSortOrder, sortParts, type SortColumn, type SortOrder };

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

interface RowBase {
	/** The customer a row opens (`/customers/<customerId>`). */
	customerId: string;
	name: string;
	email: string | null;
	phone: string | null;
	contactTypeId: string | null;
	access: Access;
	managers: string[];
	updatedAt: number | null;
	/** Additional field values of the company, or of the person (custom-values.ts). */
	custom: Record<string, FieldValue>;
	/** The customer's country: its phones' region (phones.ts recordRegion, tel: links). */
	country: string | null;
}

export interface CompanyRow extends RowBase {
	id: string;
	city: string | null;
	contactCount: number;
}

export interface PersonRow extends RowBase {
	/** The contact's id: unique across the workspace. */
	id: string;
	firstName: string;
	lastName: string;
	position: string | null;
	/** The company's name; null for an individual customer (kind person). */
	company: string | null;
	customerKind: CustomerKind;
	primary: boolean;
	/** The server flagged the contact's e-mail: another live contact uses it (SPEC §2, §6). */
	duplicateEmail: boolean;
}

interface Entry<R> {
	row: R;
	/** Folded text of every searchable field, separated so no match spans two fields. */
	key: string;
	/** The phone numbers as typed (phones.ts phoneFinds compares a phone-like query with them). */
	phones: string[];
	/** The customer's country: the region its phones are read in (phones.ts recordRegion). */
	country: string | null;
	/** Folded words of the name without legal forms (companies: the duplicate hint). */
	words?: string[];
}

interface Index<R> {
	/** Entries in name order (A–Z). */
	byName: Entry<R>[];
	/** Entries by updatedAt, newest first; built on first use. */
	byUpdated?: Entry<R>[];
	/** Entries by another column A–Z (empty values last), each built on first use. */
	byColumn?: Map<SortColumn, Entry<R>[]>;
	/** The last search's matches, to narrow from while the query grows (typing). */
	last?: Narrowing<R>;
}

/**
 * Search-as-you-type narrows from the previous result (issue #15 item 2): when the folded
 * text only grew and nothing else changed, every new match was a match before — each word
 * typed is found as a substring, and a longer word contains its beginning — so only the last
 * matches are looked at again. Phone-like queries are not narrowed: their national and
 * international forms (phones.ts) are not prefixes of each other.
 */
interface Narrowing<R> {
	source: Entry<R>[];
	filters: string;
	text: string;
	matched: Entry<R>[];
}

// Caches keyed by the summaries array itself: the workspace replaces the array on every
// change, so a new array means a new index and the old one is garbage-collected with it.
const companyIndexes = new WeakMap<readonly CustomerSummary[], Index<CompanyRow>>();
const personIndexes = new WeakMap<readonly CustomerSummary[], Index<PersonRow>>();

/** Company customers (not in the trash), filtered and sorted. */
export function companyRows(summaries: readonly CustomerSummary[], query: ListQuery = {}): CompanyRow[] {
	return run(indexOf(companyIndexes, summaries, buildCompanies), query);
}

/** Every live contact of every live customer, with its company (SPEC §4 "Persons"). */
export function personRows(summaries: readonly CustomerSummary[], query: ListQuery = {}): PersonRow[] {
	return run(indexOf(personIndexes, summaries, buildPersons), query);
}

/**
 * Companies whose name resembles `name`, for the duplicate hint while a new company's name is
 * typed (SPEC §4). Legal forms ("GmbH", "Ltd") are ignored; every typed word must begin a word
 * of the existing name, or every word of the existing name appears in what was typed.
 */
export function similarCompanies(summaries: readonly CustomerSummary[], name: string, limit = 5): CompanyRow[] {
	const typed = words(name);
	if (typed.length === 0 || typed.join('').length < 2) return [];
	const typedSet = new Set(typed);
	const exact = typed.join(' ');
	const out: { row: CompanyRow; rank: number }[] = [];
	for (const e of indexOf(companyIndexes, summaries, buildCompanies).byName) {
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


const phonesOf = (list: (string | null | undefined)[]): string[] => list.filter((p): p is string => !!p);

/**
 * E.164 forms already read, by region and number: a query written internationally reads each
 * stored number once (libphonenumber, tens of µs each), not on every keystroke or every new
 * summaries array. Bounded: cleared when it grows past what a large workspace holds.
 */
const e164Cache = new Map<string, string | null>();
function cachedE164(raw: string, region: CountryCode | null): string | null {
	const key = `${region ?? ''}\u0000${raw}`;
	let v = e164Cache.get(key);
	if (v === undefined) {
		if (e164Cache.size >= 200_000) e164Cache.clear();
		v = phoneValue(raw, region).e164;
		e164Cache.set(key, v);
	}
	return v;
}
/** A query made of phone characters only: compared digit by digit. */
const PHONE_QUERY = /^[\d\s+\-()./]*\d[\d\s+\-()./]*$/;
/** Separates fields in a search key; a typed query cannot contain it. */
const SEP = '\u0000';

/** Legal forms that say nothing about which company is meant. */
const LEGAL_FORMS = new Set(
	'gmbh mbh ag kg ohg ug ek ev gbr co ltd limited inc corp llc llp plc sa sas sarl sl srl bv nv ab as oy spa lda ltda me eireli sp zoo oo sc'.split(
		' '
	)
);
function words(name: string): string[] {
	return fold(name)
		.split(/[^\p{L}\p{N}]+/u)
		.filter((w) => w !== '' && !LEGAL_FORMS.has(w));
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function indexOf<R extends RowBase & { id: string }>(
	cache: WeakMap<readonly CustomerSummary[], Index<R>>,
	summaries: readonly CustomerSummary[],
	build: (summaries: readonly CustomerSummary[]) => Entry<R>[]
): Index<R> {
	let index = cache.get(summaries);
	if (!index) {
		const entries = build(summaries);
		entries.sort((a, b) => collator.compare(a.row.name, b.row.name) || cmp(a.row.id, b.row.id));
		index = { byName: entries };
		cache.set(summaries, index);
	}
	return index;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function buildCompanies(summaries: readonly CustomerSummary[]): Entry<CompanyRow>[] {
	const out: Entry<CompanyRow>[] = [];
	for (const s of summaries) {
		if (s.kind !== 'company' || s.deletedAt != null) continue;
		const row: CompanyRow = {
			id: s.id,
			customerId: s.id,
			name: s.name,
			email: s.email,
			phone: s.phone,
			city: s.city,
			contactTypeId: s.contactTypeId,
			access: s.access,
			managers: [...s.managers],
			updatedAt: s.updatedAt,
			contactCount: s.contacts.length,
			custom: s.custom ?? {},
			country: s.country ?? null
		};
		out.push({
			row,
			// A company is found by its contacts' names and positions too (SPEC §4).
			key: keyOf([
				s.name,
				s.email,
				s.phone,
				s.city,
				...s.contacts.flatMap((c) => [`${c.firstName} ${c.lastName}`, c.position]),
				...(s.moreEmails ?? []),
				...(s.morePhones ?? [])
			]),
			phones: phonesOf([s.phone, ...(s.morePhones ?? []), ...s.contacts.map((c) => c.phone)]),
			country: s.country ?? null,
			words: words(s.name)
		});
	}
	return out;
}

function buildPersons(summaries: readonly CustomerSummary[]): Entry<PersonRow>[] {
	const out: Entry<PersonRow>[] = [];
	for (const s of summaries) {
		if (s.deletedAt != null) continue;
		const company = s.kind === 'company' ? s.name : null;
		const managers = [...s.managers];
		for (const c of s.contacts) {
			const name = `${c.firstName} ${c.lastName}`.trim();
			const row: PersonRow = {
				id: c.id,
				customerId: s.id,
				customerKind: s.kind,
				name,
				firstName: c.firstName,
				lastName: c.lastName,
				position: c.position,
				// An individual customer's own e-mail and phone stand in for missing contact ones.
				email: c.email ?? (s.kind === 'person' ? s.email : null),
				phone: c.phone ?? (s.kind === 'person' ? s.phone : null),
				company,
				contactTypeId: s.contactTypeId,
				access: s.access,
				managers,
				updatedAt: s.updatedAt,
				primary: c.primary,
				// Only the contact's own address is flagged, never the customer's standing in for it.
				duplicateEmail: c.duplicateEmail === true && c.email !== null,
				custom: c.custom ?? {},
				country: s.country ?? null
			};
			// Further labelled e-mails and phones match too (issue #13 item 2); an individual
			// customer's own ones stand in as its e-mail and phone do.
			const own = s.kind === 'person';
			const emails = [...(c.moreEmails ?? []), ...(own ? (s.moreEmails ?? []) : [])];
			const phones = [row.phone, ...(c.morePhones ?? []), ...(own ? (s.morePhones ?? []) : [])];
			out.push({
				row,
				key: keyOf([name, row.email, ...phones, company, row.position, ...emails]),
				phones: phonesOf(phones),
				country: s.country ?? null
			});
		}
	}
	return out;
}

function keyOf(fields: (string | null)[]): string {
	return searchFold(fields.filter((f) => f).join(SEP));
}

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
	const filters = `${type}\u0000${manager}\u0000${q.knownContactTypeIds?.join('\u0001') ?? ''}`;
	const last = index.last;
	const narrowed =
		last !== undefined &&
		last.source === entries &&
		last.filters === filters &&
		phone === null &&
		text.startsWith(last.text);
	const matched: Entry<R>[] = [];
	for (const e of narrowed ? last.matched : entries) {
		const r = e.row;
		if (type !== null && typeOf(r.contactTypeId) !== type) continue;
		if (manager !== null && !r.managers.includes(manager)) continue;
		if (tokens.length > 0 && !matches(e, text, tokens, phone, region)) continue;
		matched.push(e);
	}
	index.last = phone === null ? { source: entries, filters, text, matched } : undefined;
	const out = matched.map((e) => e.row);
	if (order?.dir === 'desc') {
		if (order.column === 'name') return out.reverse();
		// Z–A, with empty values still last.
		const col = order.column;
		const filled = (r: R) => {
			const v = (r as unknown as Record<string, unknown>)[col];
			return typeof v === 'string' && v !== '';
		};
		const n = out.findIndex((r) => !filled(r));
		return n === -1 ? out.reverse() : [...out.slice(0, n).reverse(), ...out.slice(n)];
	}
	return out;
}

function matches<R>(
	e: Entry<R>,
	text: string,
	tokens: string[],
	phone: PhoneQuery | null,
	workspaceRegion: CountryCode | null
): boolean {
	// A phone-like query is one string ("+49 30 12"), not words to find anywhere in the row.
	if (phone) {
		const found = (raw: string) =>
			phoneFinds(phone, raw, () => cachedE164(raw, recordRegion(e.country, workspaceRegion)));
		return e.phones.some(found) || e.key.includes(text);
	}
	if (tokens.length === 1) return e.key.includes(text);
	return tokens.every((t) => e.key.includes(t));
}
