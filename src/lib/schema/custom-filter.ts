/**
 * Additional fields in the Companies and Persons lists (on the device and in their export): a row passes the filters chosen for
 * them (text: contains, ignoring case and accents; checkbox: yes / no; select: equals; number
 * and date: the value as written contains what was typed). Filters of fields that are not
 * (or no longer) live are ignored.
 */
import type { CustomFieldDef } from './custom-fields.ts';
import { customValueText } from './custom-values.ts';
import type { FieldValue } from './records.ts';
import { searchFold } from './text-fold.ts';

/** Per field id: what the filter asks ('' = no filter; 'yes' / 'no' for a checkbox). */
export type CustomFilters = Readonly<Record<string, string>>;

export function matchesCustom(
	values: Readonly<Record<string, FieldValue>>,
	filters: CustomFilters,
	defs: readonly CustomFieldDef[]
): boolean {
	for (const def of defs) {
		const wanted = filters[def.id]?.trim();
		if (!wanted) continue;
		const v = values[def.id];
		switch (def.type) {
			case 'checkbox':
				if ((v === true) !== (wanted === 'yes')) return false;
				break;
			case 'select':
				if (v !== wanted) return false;
				break;
			default:
				if (!searchFold(customValueText(def, v)).includes(searchFold(wanted))) return false;
		}
	}
	return true;
}

/** The rows that pass every filter (the same array when no filter is set). */
export function filterCustom<R extends { custom: Readonly<Record<string, FieldValue>> }>(
	rows: R[],
	filters: CustomFilters,
	defs: readonly CustomFieldDef[]
): R[] {
	const active = defs.filter((d) => filters[d.id]?.trim());
	if (active.length === 0) return rows;
	return rows.filter((r) => matchesCustom(r.custom, filters, active));
}

export const MAX_CUSTOM_FILTERS = 50;
export const MAX_CUSTOM_FILTER_TEXT = 200;
const FILTER_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The filters in a list's query (`cf.<fieldId>=…`), as the page writes them and the export
 * reads them: null when one is malformed (a bad id, too long, repeated, too many).
 */
export function parseCustomFilters(params: URLSearchParams): Record<string, string> | null {
	const out: Record<string, string> = {};
	for (const key of new Set(params.keys())) {
		if (!key.startsWith('cf.')) continue;
		const id = key.slice(3);
		const values = params.getAll(key);
		if (!FILTER_ID_RE.test(id) || values.length > 1 || values[0].length > MAX_CUSTOM_FILTER_TEXT) return null;
		if (values[0]) out[id] = values[0];
	}
	return Object.keys(out).length > MAX_CUSTOM_FILTERS ? null : out;
}
