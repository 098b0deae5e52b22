/**
 * "Export the contacts you can see" (SPEC §4, issue #13 item 5): the Persons or Companies
 * list with the filters of its page, as CSV (csv-write.ts) or vCard 4.0 (vcard-write.ts),
 * only with records the user may read (the access rules, asked per customer). Search works
 * as on the device: every typed word must match, letters folded (text-fold.ts); a typed
 * phone number matches however either side was written (phones.ts: "+49 8141 123" finds
 * "08141 123").
 */
import type { StaffRef } from '../../src/lib/schema/access.ts';
import { csvOf } from '../../src/lib/schema/csv-write.ts';
import type { ExportFormat, ExportList, ExportQuery } from '../../src/lib/schema/export-query.ts';
import { phoneMatches, recordRegion, type CountryCode } from '../../src/lib/schema/phones.ts';
import { DEFAULT_CONTACT_TYPE_ID } from '../../src/lib/schema/settings.ts';
import { sortParts, sortRows, type SortColumn } from '../../src/lib/schema/list-sort.ts';
import { searchFold } from '../../src/lib/schema/text-fold.ts';
import { vcardsOf } from '../../src/lib/schema/vcard-write.ts';
import { liveCustomFields } from '../../src/lib/schema/custom-fields.ts';
import { matchesCustom } from '../../src/lib/schema/custom-filter.ts';
import type { FieldValue } from '../../src/lib/schema/records.ts';
import { allCustomValues, serverCustomFields } from '../custom-values.ts';
import type { Db } from '../db.ts';
import {
	companyColumns,
	companyRowDraft,
	customColumns,
	customLabels,
	customTexts,
	personCard,
	personColumns
} from './list-columns.ts';
import { companyRows, personRows, type CompanyRow, type CustomerRow, type PersonRow } from './list-rows.ts';

export interface ExportFile {
	body: string;
	contentType: string;
	filename: string;
	count: number;
}

/** One row of either list, with what search and sorting need. */
interface Entry<R> {
	row: R;
	name: string;
	key: string;
	phones: string[];
	country: string | null;
	/** Values of the sortable columns (list-sort.ts) as the list shows them. */
	columns: Partial<Record<SortColumn, string | null>>;
}

/** Phone characters only: compared as a number (as the device's list does). */
const PHONE_QUERY = /^[\d\s+\-()./]*\d[\d\s+\-()./]*$/;
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function matches(e: Entry<unknown>, q: string, workspaceRegion: CountryCode | null): boolean {
	const text = searchFold(q);
	if (text === '') return true;
	if (PHONE_QUERY.test(text)) {
		const region = recordRegion(e.country, workspaceRegion);
		if (e.phones.some((p) => phoneMatches(p, q, region))) return true;
		return e.key.includes(text);
	}
	return text.split(/\s+/).every((t) => e.key.includes(t));
}

function select<R extends CustomerRow>(
	entries: Iterable<Entry<R>>,
	user: StaffRef,
	canRead: (customerId: string) => boolean,
	q: ExportQuery,
	/** The list's filters on additional fields (custom-filter.ts). */
	keep: (row: R) => boolean = () => true,
	/** The workspace's default phone region: phones of rows with no country are read in it. */
	region: CountryCode | null = null
): R[] {
	const out: Entry<R>[] = [];
	for (const e of entries) {
		const r = e.row;
		if (!canRead(r.customerId)) continue;
		if (!keep(r)) continue;
		if (q.type !== null && (r.contactTypeId ?? DEFAULT_CONTACT_TYPE_ID) !== q.type) continue;
		if (q.mine && !r.managers.includes(user.id)) continue;
		if (!matches(e, q.q, region)) continue;
		out.push(e);
	}
	const order = sortParts(q.sort);
	if (order === null) return out.sort((a, b) => (b.row.updatedAt ?? 0) - (a.row.updatedAt ?? 0)).map((e) => e.row);
	// Name order first, so rows equal in another column stay in name order (as on the device).
	out.sort((a, b) => collator.compare(a.name, b.name));
	if (order.column === 'name') return (order.dir === 'desc' ? out.reverse() : out).map((e) => e.row);
	return sortRows(out, (e) => e.columns[order.column] ?? null, order.dir).map((e) => e.row);
}

const SEP = '\u0000';
const keyOf = (fields: (string | null)[]) => searchFold(fields.filter(Boolean).join(SEP));

function* personEntries(db: Db): Generator<Entry<PersonRow>> {
	for (const r of personRows(db)) {
		const name = `${r.firstName ?? ''} ${r.lastName ?? ''}`.trim();
		// An individual customer's own e-mail and phone stand in for missing contact ones (as in the list).
		const email = r.contactEmail ?? (r.kind === 'person' ? r.email : null);
		const phone = r.contactPhone ?? (r.kind === 'person' ? r.phone : null);
		const company = r.kind === 'company' ? r.companyName : null;
		yield {
			row: { ...r, contactEmail: email, contactPhone: phone },
			name,
			key: keyOf([name, email, phone, company, r.position]),
			phones: phone ? [phone] : [],
			country: r.country,
			columns: { company, position: r.position, email, phone }
		};
	}
}

function* companyEntries(db: Db): Generator<Entry<CompanyRow>> {
	for (const r of companyRows(db)) {
		const name = r.companyName ?? '';
		yield {
			row: r,
			name,
			key: keyOf([name, r.email, r.phone, r.city]),
			phones: r.phone ? [r.phone] : [],
			country: r.country,
			columns: { email: r.email, phone: r.phone, city: r.city }
		};
	}
}

/**
 * The export file of a list for `user`; `canRead` is the access rule for a customer;
 * `file.language` names countries (the user's UI language; English when not given);
 * `file.region` is the workspace's default phone region, as the running server holds it
 * (SyncServer.phoneRegion(): the settings document is open there, never rebuilt per export).
 */
export function exportList(
	db: Db,
	user: StaffRef,
	canRead: (customerId: string) => boolean,
	file: { list: ExportList; format: ExportFormat; language?: string; region?: CountryCode | null },
	q: ExportQuery,
	today = new Date()
): ExportFile {
	const filename = `${file.list}-${today.toISOString().slice(0, 10)}.${file.format}`;
	const csvType = 'text/csv; charset=utf-8';
	const vcfType = 'text/vcard; charset=utf-8';
	const language = file.language ?? 'en';
	const filtered = Object.keys(q.custom).length > 0;
	// Additional fields are columns of a CSV and X-FIELDBOOK-FIELD properties of a vCard (vcard-write.ts).
	const defs = serverCustomFields(db);
	const region = file.region ?? null;
	const custom = defs.length > 0 ? allCustomValues(db) : null;
	const keep = <R>(
		target: 'company' | 'person',
		valuesOf: (r: R) => Readonly<Record<string, FieldValue>> | undefined
	) => {
		const live = liveCustomFields(defs, target);
		return (r: R) => !filtered || matchesCustom(valuesOf(r) ?? {}, q.custom, live);
	};
	const personValues = (r: PersonRow) => custom?.byContact.get(r.contactId);
	const companyValues = (r: CompanyRow) => custom?.byCustomer.get(r.customerId);
	if (file.list === 'contacts') {
		const rows = select(personEntries(db), user, canRead, q, keep('person', personValues), region);
		const personDefs = liveCustomFields(defs, 'person');
		const columns = [...personColumns(language, rows, region), ...customColumns(personDefs, personValues)];
		return file.format === 'csv'
			? { body: csvOf(columns, rows, q.delimiter), contentType: csvType, filename, count: rows.length }
			: {
					body: vcardsOf(
						rows.map((r) => personCard(r, language, personDefs, personValues(r), region)),
						customLabels(personDefs)
					),
					contentType: vcfType,
					filename,
					count: rows.length
				};
	}
	const rows = select(companyEntries(db), user, canRead, q, keep('company', companyValues), region);
	const companyDefs = liveCustomFields(defs, 'company');
	const columns = [...companyColumns(language, rows, region), ...customColumns(companyDefs, companyValues)];
	return file.format === 'csv'
		? { body: csvOf(columns, rows, q.delimiter), contentType: csvType, filename, count: rows.length }
		: {
				body: vcardsOf(
					rows.map((r) => ({
						draft: { ...companyRowDraft(r, language, region), custom: customTexts(companyDefs, companyValues(r)) },
						uid: `urn:fieldbook:customer:${r.customerId}`
					})),
					customLabels(companyDefs)
				),
				contentType: vcfType,
				filename,
				count: rows.length
			};
}
