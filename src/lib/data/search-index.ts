/**
 * The lists' search index over the device's summaries (search.ts runs queries on it): per
 * row its folded search key, its phones' digits and its place in name order. Kept up to date
 * incrementally (issue #15 item 2): the workspace replaces the summaries array on every
 * change but keeps the summary object of every record that did not change, so the entries of
 * those are reused and only the changed records are folded again and put in their places in
 * the name order — not a fold of every row and an Intl.Collator sort of the whole list per
 * change.
 */
import type { CustomerSummary } from '$lib/schema/customer-doc';
import type { Access, CustomerKind, FieldValue } from '$lib/schema/records';
import { phoneDigits, phoneValue, regionOf, type CountryCode } from '$lib/schema/phones';
import { fold, searchFold } from '$lib/schema/text-fold';
import type { SortColumn } from '$lib/schema/list-sort';

export interface RowBase {
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

export interface Entry<R> {
	row: R;
	/** Folded text of every searchable field, separated so no match spans two fields. */
	key: string;
	/** The phone numbers as typed (phones.ts phoneFinds compares a phone-like query with them). */
	phones: string[];
	/** Their digits without extensions (phones.ts phoneDigits): read by the first phone-like query. */
	digits?: string[];
	/** The region the record's own country names (phones.ts regionOf; null: none), read when first needed. */
	region?: CountryCode | null;
	/**
	 * The phones' E.164 forms read in `e164Region` (the record's region, else the workspace's):
	 * read when a query written internationally first needs them, or ahead of it (warmPhones).
	 */
	e164?: (string | null)[];
	e164Region?: CountryCode | null;
	/** Folded words of the name without legal forms (companies: the duplicate hint). */
	words?: string[];
}

export interface Index<R> {
	/** Entries in name order (A–Z). */
	byName: Entry<R>[];
	/** Entries by updatedAt, newest first; built on first use. */
	byUpdated?: Entry<R>[];
	/** Entries by another column A–Z (empty values last), each built on first use. */
	byColumn?: Map<SortColumn, Entry<R>[]>;
	/** Recent searches' matches, to narrow from or reuse while a query is typed (search.ts). */
	recent?: unknown[];
}

/** The entries of one kind of row, kept across summaries arrays. */
interface Kind<R> {
	build: (s: CustomerSummary) => Entry<R>[];
	/** Entries per summary object: an unchanged record keeps its entries (and its rows). */
	entries: WeakMap<CustomerSummary, Entry<R>[]>;
	/** Indexes per summaries array: a new array means a new index. */
	indexes: WeakMap<readonly CustomerSummary[], Index<R>>;
	/** The index built last: a new one starts from its order. */
	last: Index<R> | null;
}

const companies: Kind<CompanyRow> = { build: companyEntries, entries: new WeakMap(), indexes: new WeakMap(), last: null };
const persons: Kind<PersonRow> = { build: personEntries, entries: new WeakMap(), indexes: new WeakMap(), last: null };

export const companyIndex = (summaries: readonly CustomerSummary[]): Index<CompanyRow> => indexOf(companies, summaries);
export const personIndex = (summaries: readonly CustomerSummary[]): Index<PersonRow> => indexOf(persons, summaries);

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Name order: A–Z as the user's language sorts, ties by id, so the order is total. */
const byName = <R extends RowBase & { id: string }>(a: Entry<R>, b: Entry<R>) =>
	collator.compare(a.row.name, b.row.name) || cmp(a.row.id, b.row.id);

function indexOf<R extends RowBase & { id: string }>(kind: Kind<R>, summaries: readonly CustomerSummary[]): Index<R> {
	let index = kind.indexes.get(summaries);
	if (index) return index;
	const live = new Set<Entry<R>>();
	const fresh: Entry<R>[] = [];
	for (const s of summaries) {
		let own = kind.entries.get(s);
		if (!own) {
			own = kind.build(s);
			kind.entries.set(s, own);
			fresh.push(...own);
		}
		for (const e of own) live.add(e);
	}
	fresh.sort(byName);
	const kept = kind.last ? kind.last.byName.filter((e) => live.has(e)) : [];
	// Every entry is either in the last order or new; otherwise (a summary object seen two
	// arrays ago, or twice in one) the whole list is sorted once.
	const order = kept.length + fresh.length === live.size ? mergeInto(kept, fresh) : [...live].sort(byName);
	index = { byName: order };
	kind.indexes.set(summaries, index);
	kind.last = index;
	return index;
}

/**
 * Both in name order: puts each new entry in its place (a binary search of the kept ones),
 * so a change of k records costs k·log n comparisons, not a sort of the list.
 */
function mergeInto<R extends RowBase & { id: string }>(kept: Entry<R>[], fresh: Entry<R>[]): Entry<R>[] {
	if (fresh.length === 0) return kept;
	if (kept.length === 0) return fresh;
	const out: Entry<R>[] = [];
	let i = 0;
	for (const f of fresh) {
		let lo = i;
		let hi = kept.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (byName(kept[mid], f) < 0) lo = mid + 1;
			else hi = mid;
		}
		for (; i < lo; i++) out.push(kept[i]);
		out.push(f);
	}
	for (; i < kept.length; i++) out.push(kept[i]);
	return out;
}

/** Separates fields in a search key; a typed query cannot contain it. */
const SEP = '\u0000';

/** Legal forms that say nothing about which company is meant. */
const LEGAL_FORMS = new Set(
	'gmbh mbh ag kg ohg ug ek ev gbr co ltd limited inc corp llc llp plc sa sas sarl sl srl bv nv ab as oy spa lda ltda me eireli sp zoo oo sc'.split(
		' '
	)
);

/** Folded words of a company name without legal forms. */
export function nameWords(name: string): string[] {
	return fold(name)
		.split(/[^\p{L}\p{N}]+/u)
		.filter((w) => w !== '' && !LEGAL_FORMS.has(w));
}

const phonesOf = (list: (string | null | undefined)[]): string[] => list.filter((p): p is string => !!p);

function keyOf(fields: (string | null)[]): string {
	return searchFold(fields.filter((f) => f).join(SEP));
}

function entry<R>(row: R, key: string, phones: string[], words?: string[]): Entry<R> {
	return { row, key, phones, words };
}

/** The digits of an entry's phones (phones.ts phoneDigits), read once. */
export function digitsOf<R>(e: Entry<R>): string[] {
	return (e.digits ??= e.phones.map(phoneDigits));
}

function companyEntries(s: CustomerSummary): Entry<CompanyRow>[] {
	if (s.kind !== 'company' || s.deletedAt != null) return [];
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
	// A company is found by its contacts' names and positions too (SPEC §4).
	const key = keyOf([
		s.name,
		s.email,
		s.phone,
		s.city,
		...s.contacts.flatMap((c) => [`${c.firstName} ${c.lastName}`, c.position]),
		...(s.moreEmails ?? []),
		...(s.morePhones ?? [])
	]);
	const phones = phonesOf([s.phone, ...(s.morePhones ?? []), ...s.contacts.map((c) => c.phone)]);
	return [entry(row, key, phones, nameWords(s.name))];
}

function personEntries(s: CustomerSummary): Entry<PersonRow>[] {
	if (s.deletedAt != null) return [];
	const company = s.kind === 'company' ? s.name : null;
	const managers = [...s.managers];
	return s.contacts.map((c) => {
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
		return entry(row, keyOf([name, row.email, ...phones, company, row.position, ...emails]), phonesOf(phones));
	});
}

/**
 * The E.164 forms of an entry's phones in the region they are read in: the record's own,
 * else the workspace's (phones.ts recordRegion). Read once per entry and region
 * (libphonenumber, tens of µs a number), not on every keystroke.
 */
export function e164Of<R extends RowBase>(e: Entry<R>, workspaceRegion: CountryCode | null): (string | null)[] {
	if (e.region === undefined) e.region = regionOf(e.row.country);
	const region = e.region ?? workspaceRegion;
	if (!e.e164 || e.e164Region !== region) {
		e.e164 = e.phones.map((p) => phoneValue(p, region).e164);
		e.e164Region = region;
	}
	return e.e164;
}

/**
 * Reads the E.164 forms of every phone ahead of the first query written internationally
 * ("+44 …"), in the browser's idle time, a few milliseconds at a time: otherwise that first
 * keystroke reads every phone of the workspace at once. Returns a function that stops it.
 */
export function warmPhones<R extends RowBase>(entries: readonly Entry<R>[], workspaceRegion: CountryCode | null): () => void {
	if (typeof requestIdleCallback !== 'function') return () => undefined;
	let i = 0;
	let handle = 0;
	const step = (deadline: IdleDeadline) => {
		while (i < entries.length && deadline.timeRemaining() > 1) {
			for (const end = Math.min(i + 50, entries.length); i < end; i++) {
				digitsOf(entries[i]);
				e164Of(entries[i], workspaceRegion);
			}
		}
		if (i < entries.length) handle = requestIdleCallback(step);
	};
	handle = requestIdleCallback(step);
	return () => cancelIdleCallback(handle);
}
