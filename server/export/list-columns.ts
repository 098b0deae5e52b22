/**
 * What one exported row holds (issue #13 items 2 and 5): the CSV columns of the Persons and
 * Companies lists and the same rows as vCard drafts — every labelled e-mail and phone (phones
 * with their E.164 form when the country is known), name prefix and middle name, department,
 * birthday (year-less as --MM-DD), the contact's own address (else its customer's), tags,
 * notes and the flags. A country is written by its name in the exporting user's language.
 */
import { countryText } from '../../src/lib/schema/countries.ts';
import type { CustomFieldDef } from '../../src/lib/schema/custom-fields.ts';
import { customValueText } from '../../src/lib/schema/custom-values.ts';
import type { CountryCode } from '../../src/lib/schema/phones.ts';
import type { FieldValue } from '../../src/lib/schema/records.ts';
import type { CsvColumn } from '../../src/lib/schema/csv-write.ts';
import type { AddressDraft, ImportDraft, LabelledValue } from '../../src/lib/schema/import-fields.ts';
import { companyDraft, contactDraft, phonesWithE164 } from '../../src/lib/schema/record-details.ts';
import type { CompanyRow, CustomerRow, PersonRow } from './list-rows.ts';

/** The values of a row, or the projected primary one when its details are not there yet (migration 014). */
const valuesOr = (values: LabelledValue[], primary: string | null): LabelledValue[] =>
	values.length > 0 ? values : primary ? [{ value: primary, label: null }] : [];

/** A customer's address: its details, else the city and country columns. */
function customerAddress(r: CustomerRow): AddressDraft | null {
	if (r.details.address) return r.details.address;
	return r.city || r.country
		? { street: '', city: r.city ?? '', state: '', postalCode: '', country: r.country ?? '' }
		: null;
}

/** What a person row holds, as the export writes it. */
/** `region`: the workspace's default phone region, for a row whose address names no country. */
export function personValues(r: PersonRow, region: CountryCode | null = null) {
	// An individual customer's own e-mails and phones stand in for missing contact ones (as in the list).
	const own = r.kind === 'person';
	const emails = valuesOr(r.contactDetails.emails, r.contactEmail);
	const phones = valuesOr(r.contactDetails.phones, r.contactPhone);
	const address = r.contactDetails.address ?? customerAddress(r);
	return {
		emails: emails.length > 0 || !own ? emails : valuesOr(r.details.emails, r.email),
		phones: phonesWithE164(
			phones.length > 0 || !own ? phones : valuesOr(r.details.phones, r.phone),
			address?.country ?? null,
			region
		),
		address
	};
}

function companyValues(r: CompanyRow, region: CountryCode | null = null) {
	const address = customerAddress(r);
	return {
		emails: valuesOr(r.details.emails, r.email),
		phones: phonesWithE164(valuesOr(r.details.phones, r.phone), address?.country ?? null, region),
		address
	};
}

const yes = (b: boolean) => (b ? 'yes' : '');

/** "E-mail", "E-mail Label", "E-mail 2", "E-mail 2 Label", … for as many values as a row has. */
function valueColumns<R>(
	count: number,
	of: (r: R) => { emails: LabelledValue[]; phones: ImportDraft['phones'] },
	kind: 'emails' | 'phones'
): CsvColumn<R>[] {
	const out: CsvColumn<R>[] = [];
	const word = kind === 'emails' ? 'E-mail' : 'Phone';
	for (let i = 0; i < count; i++) {
		const name = i === 0 ? word : `${word} ${i + 1}`;
		out.push({ header: name, value: (r) => of(r)[kind][i]?.value ?? null });
		out.push({ header: `${name} Label`, value: (r) => of(r)[kind][i]?.label ?? null });
		if (kind === 'phones') out.push({ header: `${name} E.164`, value: (r) => of(r).phones[i]?.e164 ?? null });
	}
	return out;
}

function addressColumns<R>(language: string, of: (r: R) => { address: AddressDraft | null }): CsvColumn<R>[] {
	return [
		{ header: 'Street', value: (r) => of(r).address?.street || null },
		{ header: 'City', value: (r) => of(r).address?.city || null },
		{ header: 'State', value: (r) => of(r).address?.state || null },
		{ header: 'Postal Code', value: (r) => of(r).address?.postalCode || null },
		{ header: 'Country', value: (r) => countryText(of(r).address?.country || null, language) }
	];
}

/** Memoised per row: a column asks for the values many times. */
function memo<R extends object, T>(fn: (r: R) => T): (r: R) => T {
	const cache = new WeakMap<R, T>();
	return (r) => {
		let v = cache.get(r);
		if (v === undefined) {
			v = fn(r);
			cache.set(r, v);
		}
		return v;
	};
}

export function personColumns(
	language: string,
	rows: readonly PersonRow[],
	region: CountryCode | null = null
): CsvColumn<PersonRow>[] {
	const of = memo((r: PersonRow) => personValues(r, region));
	const most = (k: 'emails' | 'phones') => Math.max(1, ...rows.map((r) => of(r)[k].length));
	return [
		{ header: 'Name Prefix', value: (r) => r.contactDetails.namePrefix || null },
		{ header: 'First Name', value: (r) => r.firstName },
		{ header: 'Middle Name', value: (r) => r.contactDetails.middleName || null },
		{ header: 'Last Name', value: (r) => r.lastName },
		{ header: 'Position', value: (r) => r.position },
		{ header: 'Department', value: (r) => r.contactDetails.department || null },
		{ header: 'Company', value: (r) => (r.kind === 'company' ? r.companyName : null) },
		...valueColumns(most('emails'), of, 'emails'),
		...valueColumns(most('phones'), of, 'phones'),
		...addressColumns(language, of),
		{ header: 'Birthday', value: (r) => r.contactDetails.birthday },
		{ header: 'Tags', value: (r) => r.contactDetails.tags.join(', ') || null },
		{ header: 'Notes', value: (r) => r.contactDetails.notes || null },
		{ header: 'Favourite', value: (r) => yes(r.contactDetails.favourite) },
		{ header: 'Do Not E-mail', value: (r) => yes(r.contactDetails.doNotEmail) },
		{ header: 'Do Not Call', value: (r) => yes(r.contactDetails.doNotCall) }
	];
}

export function companyColumns(
	language: string,
	rows: readonly CompanyRow[],
	region: CountryCode | null = null
): CsvColumn<CompanyRow>[] {
	const of = memo((r: CompanyRow) => companyValues(r, region));
	const most = (k: 'emails' | 'phones') => Math.max(1, ...rows.map((r) => of(r)[k].length));
	return [
		{ header: 'Company', value: (r) => r.companyName },
		...valueColumns(most('emails'), of, 'emails'),
		...valueColumns(most('phones'), of, 'phones'),
		...addressColumns(language, of),
		{ header: 'Contacts', value: (r) => r.contactCount }
	];
}

const named = (a: AddressDraft | null, language: string): AddressDraft | null =>
	a ? { ...a, country: countryText(a.country, language) } : null;

export function personDraft(r: PersonRow, language: string, region: CountryCode | null = null): ImportDraft {
	const v = personValues(r, region);
	const draft = contactDraft(r, r.contactDetails, r.kind === 'company' ? (r.companyName ?? '') : '', v.address);
	return { ...draft, emails: v.emails, phones: v.phones, address: named(v.address, language) };
}

export function companyRowDraft(r: CompanyRow, language: string, region: CountryCode | null = null): ImportDraft {
	const v = companyValues(r, region);
	return {
		...companyDraft(r.companyName ?? '', r.details),
		emails: v.emails,
		phones: v.phones,
		address: named(v.address, language)
	};
}

/** A column per live additional field, headed by its label; a value as stored (a flagged one too). */
export const customColumns = <R>(
	defs: readonly CustomFieldDef[],
	valuesOf: (row: R) => Readonly<Record<string, FieldValue>> | undefined
): CsvColumn<R>[] =>
	defs.map((d) => ({ header: d.label, value: (r) => customValueText(d, valuesOf(r)?.[d.id]) || null }));

/** A record's values of the live fields `defs` as text (as the CSV writes them), by field id: a vCard's X-FIELDBOOK-FIELDs. */
export function customTexts(
	defs: readonly CustomFieldDef[],
	values: Readonly<Record<string, FieldValue>> | undefined
): Record<string, string> {
	const out: Record<string, string> = {};
	for (const d of defs) {
		const text = customValueText(d, values?.[d.id]);
		if (text !== '') out[d.id] = text;
	}
	return out;
}

/** The labels of `defs` by id (a vCard's X-LABEL). */
export const customLabels = (defs: readonly CustomFieldDef[]): Record<string, string> =>
	Object.fromEntries(defs.map((d) => [d.id, d.label]));

/** A person row as a card of a vCard export: its fields, its live additional fields, its stable UID. */
export const personCard = (
	r: PersonRow,
	language: string,
	defs: readonly CustomFieldDef[],
	values: Readonly<Record<string, FieldValue>> | undefined,
	region: CountryCode | null = null
) => ({
	draft: { ...personDraft(r, language, region), custom: customTexts(defs, values) },
	uid: `urn:fieldbook:contact:${r.contactId}`
});
