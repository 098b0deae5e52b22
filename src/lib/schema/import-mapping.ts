/**
 * The mapping screen's wire form (issue #13 item 3): one target per column as a short text
 * key, read strictly by the server and written by the page from the same functions.
 *
 *   ignore                       the column is not imported
 *   field:<field>                a field (import-fields.ts IMPORT_FIELDS)
 *   field:<field>:<label>        an e-mail, phone or website with its label ("field:phone:mobile")
 *   …@<slot>                     grouped with the label column of the same slot (Google "E-mail 1")
 *   label:<field>@<slot>         the column names the label of that slot ("E-mail 1 - Type")
 *   custom.<id>                  an additional field (the record's own key for it)
 *
 * Keys, not objects, so that a target kind added later (custom fields, issue #13 item 1:
 * `custom:<id>`) is one more prefix here and one more branch in parseTargetKey; everything
 * else about a key — its length, its place in the list — is checked the same way.
 */
import {
	IMPORT_FIELDS,
	MULTI_FIELDS,
	VALUE_LABELS,
	type ColumnTarget,
	type ImportField,
	type MultiField,
	type ValueLabel
} from './import-fields.ts';
import type { CustomFieldDef } from './custom-fields.ts';
import { customFieldId, customKey } from './custom-values.ts';
import { normalizeHeader } from './import-fields.ts';

/** More columns than any export has (Outlook's is the widest known, 92). */
export const MAX_MAPPED_COLUMNS = 1000;
/** The longest key: `custom.` and a 64-character field id. */
export const MAX_TARGET_KEY = 80;
/** Slots as exports number them (Google "Phone 1" … "Phone 9"); more is not a real file. */
export const MAX_SLOT = 99;

const isMulti = (f: string): f is MultiField => (MULTI_FIELDS as readonly string[]).includes(f);
const isField = (f: string): f is ImportField => (IMPORT_FIELDS as readonly string[]).includes(f);
const isLabel = (l: string): l is ValueLabel => (VALUE_LABELS as readonly string[]).includes(l);

export function targetKey(t: ColumnTarget): string {
	if (t.kind === 'ignore') return 'ignore';
	if (t.kind === 'custom') return customKey(t.id);
	if (t.kind === 'label') return `label:${t.field}@${t.slot}`;
	const slot = t.slot === undefined ? '' : `@${t.slot}`;
	return t.label ? `field:${t.field}:${t.label}${slot}` : `field:${t.field}${slot}`;
}

const KEY_RE = /^(field|label):([A-Za-z]+)(?::([a-z]+))?(?:@(\d{1,2}))?$/;

/** A key → its target; null for anything the mapping screen could not have sent. */
export function parseTargetKey(key: unknown): ColumnTarget | null {
	if (typeof key !== 'string' || key.length > MAX_TARGET_KEY) return null;
	if (key === 'ignore') return { kind: 'ignore' };
	// Whether the field exists is the run's question (to-records.ts: an unknown one is not kept).
	const custom = customFieldId(key);
	if (custom !== null) return { kind: 'custom', id: custom };
	const m = KEY_RE.exec(key);
	if (!m) return null;
	const [, kind, field, label, slotText] = m;
	const slot = slotText === undefined ? undefined : Number(slotText);
	if (slot !== undefined && slot > MAX_SLOT) return null;
	if (kind === 'label') {
		if (!isMulti(field) || label !== undefined || slot === undefined) return null;
		return { kind: 'label', field, slot };
	}
	if (!isField(field)) return null;
	if (label !== undefined && (!isMulti(field) || !isLabel(label))) return null;
	const t: ColumnTarget = { kind: 'field', field };
	if (label !== undefined) t.label = label as ValueLabel;
	if (slot !== undefined) t.slot = slot;
	return t;
}

export type MappingError = 'not_a_list' | 'column_count' | 'too_many_columns' | 'unknown_target';

/**
 * The targets the page sent for a header of `columns` columns: exactly one valid key per
 * column, or the first thing wrong (with its column).
 */
export function parseMappingKeys(
	value: unknown,
	columns: number
): { ok: true; targets: ColumnTarget[] } | { ok: false; error: MappingError; column?: number } {
	if (!Array.isArray(value)) return { ok: false, error: 'not_a_list' };
	if (value.length > MAX_MAPPED_COLUMNS) return { ok: false, error: 'too_many_columns' };
	if (value.length !== columns) return { ok: false, error: 'column_count' };
	const targets: ColumnTarget[] = [];
	for (let i = 0; i < value.length; i++) {
		const t = parseTargetKey(value[i]);
		if (!t) return { ok: false, error: 'unknown_target', column: i };
		targets.push(t);
	}
	return { ok: true, targets };
}

/** Fields that say who a row is: a mapping with none of them could import nothing. */
export const NAME_FIELDS: ReadonlySet<ImportField> = new Set(['firstName', 'lastName', 'fullName', 'company', 'email']);

export const namesSomeone = (targets: readonly ColumnTarget[]) =>
	targets.some((t) => t.kind === 'field' && NAME_FIELDS.has(t.field));

/**
 * What the mapping screen offers for every column, in order: each field, and each e-mail,
 * phone and website with a label. A recognised layout may use a key not in this list (a
 * slot, a label column); the screen shows it as well for that column.
 */
export const TARGET_CHOICES: readonly string[] = [
	'ignore',
	...IMPORT_FIELDS.filter((f) => !isMulti(f)).map((f) => `field:${f}`),
	'field:email',
	'field:email:work',
	'field:email:home',
	'field:email:other',
	'field:phone',
	'field:phone:work',
	'field:phone:mobile',
	'field:phone:home',
	'field:phone:fax',
	'field:phone:other',
	'field:website'
];

/** A header or label compared case- and space-insensitively ("Customer No" = "customerno"). */
const looseName = (s: string) => normalizeHeader(s).replace(/ /g, '');

/**
 * The additional field a column header names: the one live field (not removed) whose label
 * equals the header, case and spaces aside. None, or two fields of that label (a company and
 * a person field): null, the mapping screen asks.
 */
export function customTargetFor(
	header: string,
	fields: readonly Pick<CustomFieldDef, 'id' | 'label' | 'removedAt'>[]
): ColumnTarget | null {
	const id = customFieldNamed(header, fields);
	return id === null ? null : { kind: 'custom', id };
}

/**
 * The id of the one live additional field labelled `label`, case and spaces aside (a CSV
 * header, a vCard's X-LABEL); null for none or more than one.
 */
export function customFieldNamed(
	label: string,
	fields: readonly Pick<CustomFieldDef, 'id' | 'label' | 'removedAt'>[]
): string | null {
	const name = looseName(label);
	if (name === '') return null;
	const matching = fields.filter((f) => f.removedAt === null && looseName(f.label) === name);
	return matching.length === 1 ? matching[0].id : null;
}
