/**
 * Values of additional fields (definitions in custom-fields.ts). A value is kept in the
 * record's own map — the customer map for a company field, a contact's map for a person
 * field — under the flat key `custom.<fieldId>`, as a plain JSON value: text, number, boolean
 * or null (cleared). Edited offline like built-in fields, merged per field.
 *
 * Two rules, one for each side:
 * - the server checks only the shape (customValueShape: key syntax, value type and size),
 *   never the definition: a definition changed while a device was offline must not lose the
 *   edit made meanwhile;
 * - every reader (device forms and lists, export, import) checks a value against the
 *   definition current when it reads it (checkCustomValue); a value that no longer fits is
 *   kept and shown flagged ("Not a number any more") until someone edits it.
 * A key whose field id has no definition is kept too (a definition may arrive later from an
 * admin's device still offline); it is shown nowhere until it has one.
 */
import type * as Y from 'yjs';
import type { CustomFieldDef, CustomFieldTarget } from './custom-fields.ts';
import { liveCustomFields } from './custom-fields.ts';
import { DOC, isIsoDate, type FieldValue } from './records.ts';

export const CUSTOM_PREFIX = 'custom.';
export const MAX_CUSTOM_TEXT = 500;
export const MAX_CUSTOM_LONG_TEXT = 10_000;
/** Numbers beyond this lose integer precision in JSON; nobody types them into a CRM field. */
export const MAX_CUSTOM_NUMBER = 1e15;
const FIELD_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

export const customKey = (fieldId: string) => `${CUSTOM_PREFIX}${fieldId}`;

/** The field id of a `custom.<id>` key, or null for any other key (or a bad id). */
export function customFieldId(key: string): string | null {
	if (!key.startsWith(CUSTOM_PREFIX)) return null;
	const id = key.slice(CUSTOM_PREFIX.length);
	return FIELD_ID_RE.test(id) ? id : null;
}

/**
 * What the server accepts at a `custom.<id>` key, whatever the definition says: null, a
 * boolean, a finite number within ±MAX_CUSTOM_NUMBER, or a text of at most
 * MAX_CUSTOM_LONG_TEXT characters. Returns an error code or null.
 */
export function customValueShape(value: unknown): 'invalid' | 'too_long' | 'out_of_range' | null {
	if (value === null || typeof value === 'boolean') return null;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return 'invalid';
		return Math.abs(value) > MAX_CUSTOM_NUMBER ? 'out_of_range' : null;
	}
	if (typeof value === 'string') return value.length > MAX_CUSTOM_LONG_TEXT ? 'too_long' : null;
	return 'invalid';
}

export type CustomValueError =
	| 'required'
	| 'not_text'
	| 'too_long'
	| 'not_number'
	| 'out_of_range'
	| 'invalid_date'
	| 'not_checkbox'
	| 'invalid_choice'
	| 'invalid_url';

const isEmpty = (v: unknown) => v === null || v === undefined || v === '';

/**
 * The value rule: `value` against the field's definition. Empty (null, undefined, '') is
 * fine here; whether a field must be filled is checkRequired's question (asked on create and
 * edit on the device only — records older than a required field stay valid).
 */
export function checkCustomValue(def: CustomFieldDef, value: unknown): CustomValueError | null {
	if (isEmpty(value)) return null;
	switch (def.type) {
		case 'text':
		case 'longText': {
			if (typeof value !== 'string') return 'not_text';
			const max = def.type === 'text' ? MAX_CUSTOM_TEXT : MAX_CUSTOM_LONG_TEXT;
			return value.length > max ? 'too_long' : null;
		}
		case 'number':
			if (typeof value !== 'number' || !Number.isFinite(value)) return 'not_number';
			return Math.abs(value) > MAX_CUSTOM_NUMBER ? 'out_of_range' : null;
		case 'date':
			return typeof value === 'string' && isIsoDate(value) ? null : 'invalid_date';
		case 'checkbox':
			return typeof value === 'boolean' ? null : 'not_checkbox';
		case 'select':
			return typeof value === 'string' && def.options.includes(value) ? null : 'invalid_choice';
		case 'url':
			if (typeof value !== 'string') return 'invalid_url';
			return value.length <= MAX_CUSTOM_TEXT && isHttpUrl(value) ? null : 'invalid_url';
	}
}

/** A required field left empty (a checkbox counts as filled when it is set either way). */
export function checkRequired(def: CustomFieldDef, value: unknown): 'required' | null {
	return def.required && isEmpty(value) ? 'required' : null;
}

/** Errors of a form's values against the live fields of `target`: id -> error. */
export function validateCustomValues(
	defs: readonly CustomFieldDef[],
	target: CustomFieldTarget,
	values: Readonly<Record<string, FieldValue | undefined>>
): Record<string, CustomValueError> {
	const errors: Record<string, CustomValueError> = {};
	for (const def of liveCustomFields(defs, target)) {
		const v = values[def.id];
		const e = checkCustomValue(def, v) ?? checkRequired(def, v);
		if (e) errors[def.id] = e;
	}
	return errors;
}

/** Every `custom.<id>` value a record map holds: id -> value. */
export function readCustomValues(map: Y.Map<unknown>): Record<string, FieldValue> {
	return customValuesFrom(map.entries());
}

/** The same from a record read as JSON (readCustomer, a contact record) or its entries. */
export function customValuesFrom(record: object | Iterable<[string, unknown]>): Record<string, FieldValue> {
	const out: Record<string, FieldValue> = {};
	const entries: Iterable<[string, unknown]> = Symbol.iterator in record ? record : Object.entries(record);
	for (const [key, v] of entries) {
		const id = customFieldId(key);
		if (id !== null && customValueShape(v) === null) out[id] = v as FieldValue;
	}
	return out;
}

/**
 * Writes the values that changed (id -> value; '' and null clear a field, text is trimmed).
 * The caller wraps it in its transaction with the record's updatedBy/updatedAt.
 */
export function writeCustomValues(map: Y.Map<unknown>, values: Readonly<Record<string, FieldValue>>): void {
	for (const [id, raw] of Object.entries(values)) {
		if (!FIELD_ID_RE.test(id)) continue;
		const v = typeof raw === 'string' ? raw.trim() || null : raw;
		const key = customKey(id);
		if (v === null) {
			if (map.has(key)) map.set(key, null);
		} else if (map.get(key) !== v) map.set(key, v);
	}
}

/** Text for a value as a list cell or export column shows it (checkbox: the given words). */
export function customValueText(
	def: CustomFieldDef,
	value: FieldValue | undefined,
	words: { yes: string; no: string } = { yes: 'yes', no: 'no' }
): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'boolean') return value ? words.yes : words.no;
	return String(value);
}

/** An import mapping target for each live field of `target`. */
export function customImportTargets(
	defs: readonly CustomFieldDef[],
	target: CustomFieldTarget
): { key: string; fieldId: string; label: string; type: CustomFieldDef['type'] }[] {
	return liveCustomFields(defs, target).map((d) => ({
		key: customKey(d.id),
		fieldId: d.id,
		label: d.label,
		type: d.type
	}));
}

const YES = new Set([
	'1',
	'x',
	'y',
	'yes',
	'true',
	'on',
	'ja',
	'j',
	'oui',
	'o',
	'tak',
	't',
	'sim',
	's',
	'wahr',
	'vrai'
]);
const NO = new Set(['0', 'n', 'no', 'false', 'off', 'nein', 'non', 'nie', 'não', 'nao', 'falsch', 'faux', '-']);

/**
 * A cell of an imported file as a value for `def`: `{ value }` (null for an empty cell) or
 * `{ error }`. Cell text is never evaluated. Numbers take a decimal comma or point and
 * thousands separators ("1.234,5", "1,234.5", "1 234,5"); dates are ISO or day.month.year;
 * a select matches its options ignoring case; a URL without a scheme gets https://.
 */
export function parseCustomCell(
	def: CustomFieldDef,
	cell: string
): { value: FieldValue } | { error: CustomValueError } {
	const text = cell.trim();
	if (text === '') return { value: null };
	let value: FieldValue;
	switch (def.type) {
		case 'text':
		case 'longText':
			value = def.type === 'text' ? text.replace(/\s*\r?\n\s*/g, ' ') : cell.replace(/\r\n?/g, '\n').trim();
			break;
		case 'number': {
			const n = parseNumber(text);
			if (n === null) return { error: 'not_number' };
			value = n;
			break;
		}
		case 'date': {
			const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
			value = dotted ? `${dotted[3]}-${dotted[2].padStart(2, '0')}-${dotted[1].padStart(2, '0')}` : text;
			break;
		}
		case 'checkbox': {
			const k = text.toLocaleLowerCase();
			if (YES.has(k)) value = true;
			else if (NO.has(k)) value = false;
			else return { error: 'not_checkbox' };
			break;
		}
		case 'select': {
			const k = text.toLocaleLowerCase();
			const match = def.options.find((o) => o.toLocaleLowerCase() === k);
			if (match === undefined) return { error: 'invalid_choice' };
			value = match;
			break;
		}
		case 'url':
			value = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`;
			break;
	}
	const error = checkCustomValue(def, value);
	return error ? { error } : { value };
}

function parseNumber(text: string): number | null {
	let t = text.replace(/[\s\u00a0\u202f']/g, '');
	if (!/^[+-]?[\d.,]+$/.test(t) || !/\d/.test(t)) return null;
	const lastComma = t.lastIndexOf(',');
	const lastDot = t.lastIndexOf('.');
	if (lastComma >= 0 && lastDot >= 0) {
		// The later one is the decimal mark; the other groups thousands.
		t = lastComma > lastDot ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '');
	} else if (lastComma >= 0) {
		// "1,234,567" groups thousands; "1,5" and "1234,56" are decimals.
		t = /^[+-]?\d{1,3}(,\d{3}){2,}$/.test(t) ? t.replace(/,/g, '') : t.replace(',', '.');
	} else if ((t.match(/\./g) ?? []).length > 1) {
		t = t.replace(/\./g, '');
	}
	if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) return null;
	const n = Number(t);
	return Number.isFinite(n) ? n : null;
}

function isHttpUrl(v: string): boolean {
	try {
		const u = new URL(v);
		return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
	} catch {
		return false;
	}
}

/**
 * Writes values of a customer's additional fields (`contactId` null: the customer's own, a
 * company's) or of one of its contacts, as one change attributed to `authorId`.
 */
export function setCustomValues(
	doc: Y.Doc,
	contactId: string | null,
	values: Readonly<Record<string, FieldValue>>,
	authorId: string,
	now: number
): void {
	const customer = doc.getMap<unknown>(DOC.customer);
	const map = contactId === null ? customer : doc.getMap<Y.Map<unknown>>(DOC.contacts).get(contactId);
	if (!map || Object.keys(values).length === 0) return;
	doc.transact(() => {
		writeCustomValues(map, values);
		customer.set('updatedBy', authorId);
		customer.set('updatedAt', now);
	});
}
