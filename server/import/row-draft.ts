/**
 * One CSV record → a draft or a refusal (issue #13 item 3, SPEC §8 "good rows import; bad
 * rows listed with the reason"). Every row gives one of the two, with the physical line it
 * starts on, so the report can say "line 17: bad e-mail" and nothing is dropped unseen.
 *
 * Cell text is never evaluated (CWE-1236): a cell starting with = + - @ tab or CR is kept as
 * the text it is, with a warning, so the user sees what a spreadsheet would have run.
 */
import { parseBirthday } from '../../src/lib/schema/birthday.ts';
import { EMAIL_RE } from '../../src/lib/schema/fields.ts';
import { MAX_CUSTOM_LONG_TEXT } from '../../src/lib/schema/custom-values.ts';
import {
	IMPORT_MAX,
	emptyDraft,
	labelOf,
	type AddressDraft,
	type ImportDraft,
	type ImportField,
	type Mapping,
	type MultiField,
	type ValueLabel
} from '../../src/lib/schema/import-fields.ts';
import { phoneValue, regionOf, type CountryCode } from '../../src/lib/schema/phones.ts';

export const REFUSALS = ['empty', 'no_name', 'bad_email', 'too_long', 'too_many_columns', 'deleted_in_source'] as const;
export type Refusal = (typeof REFUSALS)[number];

export const WARNINGS = ['formula', 'bad_birthday', 'photo_dropped'] as const;
/** `column`: the cell's column in a CSV row; in a vCard, the line of the property. */
export type RowWarning = { code: (typeof WARNINGS)[number]; column: number };

export type RowResult =
	| { kind: 'draft'; line: number; draft: ImportDraft; warnings: RowWarning[] }
	| { kind: 'refused'; line: number; reason: Refusal; column?: number };

export interface RowOptions {
	/** The header's column count: more non-empty cells than this is a broken row. */
	columns: number;
	/** The import's default region, for national phone numbers of rows without a country. */
	defaultRegion?: CountryCode | null;
	/** Read ambiguous slash dates day first (a file from a UK, French, Polish … locale). */
	dayFirst?: boolean;
}

/** What a spreadsheet would evaluate (OWASP "CSV Injection"). */
export const FORMULA_START = /^[=+\-@\t\r]/;
/** A spreadsheet-neutralised cell as exports write it: an apostrophe before what would run. */
const NEUTRALISED = /^'[=+\-@\t\r]/;
/** A phone number or a plain number is not a formula, even with a leading + or -. */
const NUMBER_LIKE = /^[+-]?[\d\s()./-]+$/;

const TRUTHY = new Set(['1', 'true', 'yes', 'y', 'x', 'ja', 'wahr', 'oui', 'vrai', 'tak', 'sim', 'verdadeiro']);

/** Several values in one cell: Google's " ::: ". */
const splitMulti = (s: string) =>
	s
		.split(/\s+:::\s+/)
		.map((p) => p.trim())
		.filter(Boolean);

/** Google's group of every contact: no tag anyone chose (CSV "* myContacts", vCard "myContacts"). */
export const isSystemGroup = (tag: string) => tag.toLowerCase() === 'mycontacts';

/** Tags in one cell: " ::: ", "," or ";"; Google's system group and its "* " marks dropped. */
function splitTags(s: string): string[] {
	return s
		.split(/\s*:::\s*|[,;]/)
		.map((t) => t.replace(/^\*\s*/, '').trim())
		.filter((t) => t !== '' && !isSystemGroup(t));
}

/** "Silva, Ana" → Ana / Silva; "Ana Maria Silva" → Ana Maria / Silva. */
export function splitFullName(full: string): { first: string; last: string } {
	const t = full.trim().replace(/\s+/g, ' ');
	const comma = t.indexOf(',');
	if (comma > 0) return { last: t.slice(0, comma).trim(), first: t.slice(comma + 1).trim() };
	const space = t.lastIndexOf(' ');
	return space < 0 ? { first: '', last: t } : { first: t.slice(0, space), last: t.slice(space + 1) };
}

type Single = Exclude<ImportField, MultiField>;

export function rowToDraft(line: number, cells: readonly string[], mapping: Mapping, opts: RowOptions): RowResult {
	const refuse = (reason: Refusal, column?: number): RowResult =>
		column === undefined ? { kind: 'refused', line, reason } : { kind: 'refused', line, reason, column };
	if (cells.every((c) => c.trim() === '')) return refuse('empty');
	for (let i = opts.columns; i < cells.length; i++) if (cells[i].trim() !== '') return refuse('too_many_columns', i);

	const warnings: RowWarning[] = [];
	const singles = new Map<Single, { value: string; column: number }>();
	const slots = new Map<number, Partial<AddressDraft>>();
	const labels = new Map<string, ValueLabel | null>();
	const multis: { field: MultiField; value: string; label?: ValueLabel; slot: number; column: number }[] = [];
	const customs = new Map<string, string>();

	for (let i = 0; i < Math.min(cells.length, mapping.columns.length); i++) {
		const target = mapping.columns[i];
		// Our own CSV export writes '=… for =… (src/lib/schema/csv-write.ts): read it back as written.
		const cell = NEUTRALISED.test(cells[i]) ? cells[i].slice(1) : cells[i];
		const value = cell.trim();
		if (target.kind === 'ignore' || value === '') continue;
		if (target.kind === 'label') {
			labels.set(`${target.field}:${target.slot}`, labelOf(value));
			continue;
		}
		if (target.kind === 'custom') {
			if (value.length > MAX_CUSTOM_LONG_TEXT) return refuse('too_long', i);
			if (FORMULA_START.test(cell) && !NUMBER_LIKE.test(value)) warnings.push({ code: 'formula', column: i });
			customs.set(target.id, value);
			continue;
		}
		const field = target.field;
		if (value.length > IMPORT_MAX[field]) return refuse('too_long', i);
		if (FORMULA_START.test(cell) && !NUMBER_LIKE.test(value)) warnings.push({ code: 'formula', column: i });
		if (field === 'email' || field === 'phone' || field === 'website') {
			for (const part of splitMulti(value))
				multis.push({ field, value: part, label: target.label, slot: target.slot ?? 0, column: i });
			continue;
		}
		if (field === 'street' || field === 'city' || field === 'state' || field === 'postalCode' || field === 'country') {
			const slot = slots.get(target.slot ?? 0) ?? {};
			// Outlook's "Business Street 2" and "3" are more lines of the same street.
			slot[field] = slot[field] ? `${slot[field]}\n${value}` : value;
			slots.set(target.slot ?? 0, slot);
			continue;
		}
		const had = singles.get(field);
		// "Anrede" and "Titel" both fill the prefix: "Frau Dr.".
		if (had && field === 'namePrefix') had.value = `${had.value} ${value}`;
		else if (!had) singles.set(field, { value, column: i });
	}

	const get = (f: Single) => singles.get(f)?.value ?? '';
	const deleted = get('deleted');
	if (deleted && TRUTHY.has(deleted.toLowerCase())) return refuse('deleted_in_source', singles.get('deleted')!.column);

	const draft = emptyDraft();
	draft.custom = Object.fromEntries(customs);
	draft.namePrefix = get('namePrefix');
	draft.firstName = get('firstName');
	draft.middleName = get('middleName');
	draft.lastName = get('lastName');
	draft.nameSuffix = get('nameSuffix');
	draft.nickname = get('nickname');
	draft.position = get('position');
	draft.department = get('department');
	draft.company = get('company');
	draft.notes = get('notes');
	draft.tags = splitTags(get('tags'));
	draft.externalId = get('externalId') || null;
	if (!draft.firstName && !draft.lastName && get('fullName')) {
		const { first, last } = splitFullName(get('fullName'));
		draft.firstName = first;
		draft.lastName = last;
	}
	if (!draft.firstName && !draft.lastName) {
		if (!draft.company) return refuse('no_name');
		draft.kind = 'company';
	}

	// The first address slot with anything in it (Outlook: business, then home).
	for (const slot of [...slots.keys()].sort((a, b) => a - b)) {
		const a = slots.get(slot)!;
		draft.address = {
			street: a.street ?? '',
			city: a.city ?? '',
			state: a.state ?? '',
			postalCode: a.postalCode ?? '',
			country: a.country ?? ''
		};
		break;
	}
	const region = regionOf(draft.address?.country) ?? opts.defaultRegion ?? null;

	for (const m of multis) {
		const label = m.label ?? labels.get(`${m.field}:${m.slot}`) ?? null;
		if (m.field === 'email') {
			if (!EMAIL_RE.test(m.value)) return refuse('bad_email', m.column);
			if (!draft.emails.some((e) => e.value.toLowerCase() === m.value.toLowerCase()))
				draft.emails.push({ value: m.value, label });
		} else if (m.field === 'phone') {
			const p = phoneValue(m.value, region);
			draft.phones.push({ value: p.raw, label, e164: p.e164, ext: p.ext });
		} else draft.websites.push({ value: m.value, label });
	}

	const bday = get('birthday');
	if (bday) {
		const b = parseBirthday(bday, { dayFirst: opts.dayFirst });
		if (b === 'invalid') warnings.push({ code: 'bad_birthday', column: singles.get('birthday')!.column });
		else draft.birthday = b;
	}
	return { kind: 'draft', line, draft, warnings };
}
