/**
 * Additional fields in the Companies and Persons lists: a row passes the filters chosen for
 * them (text: contains, ignoring case and accents; checkbox: yes / no; select: equals; number
 * and date: the value as written contains what was typed). Filters of fields that are not
 * (or no longer) live are ignored.
 */
import type { CustomFieldDef } from '$lib/schema/custom-fields';
import { customValueText } from '$lib/schema/custom-values';
import type { FieldValue } from '$lib/schema/records';
import { searchFold } from '$lib/schema/text-fold';

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
