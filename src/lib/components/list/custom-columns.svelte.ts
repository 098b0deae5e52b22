/**
 * A list's additional fields (companies, persons): the live definitions of the list's target
 * (offered as optional columns and filters), the columns its URL asks for, the rows left by
 * its filters, and each shown column's text in a row. The list page keeps its own markup.
 */
import { customShown } from '$lib/components/custom-fields/custom-text';
import { filterCustom } from '$lib/schema/custom-filter';
import { liveCustomFields, type CustomFieldDef, type CustomFieldTarget } from '$lib/schema/custom-fields';
import type { FieldValue } from '$lib/schema/records';
import type { ListUrlState } from './list-url.svelte';

type Row = { custom: Readonly<Record<string, FieldValue>> };

export class CustomColumns {
	/** The target's live definitions, in the admin's order. */
	readonly defs: CustomFieldDef[];
	/** The definitions shown as columns. */
	readonly shown: CustomFieldDef[];

	/** `fields`: the workspace's definitions (none while it loads). */
	constructor(
		fields: () => readonly CustomFieldDef[] | undefined,
		target: CustomFieldTarget,
		private readonly list: ListUrlState
	) {
		this.defs = $derived(liveCustomFields(fields() ?? [], target));
		this.shown = $derived(this.defs.filter((d) => list.columns.includes(d.id)));
	}

	/** The rows whose values match the list's filters on additional fields. */
	filter<R extends Row>(rows: R[]): R[] {
		return filterCustom(rows, this.list.custom, this.defs);
	}

	/** The shown columns' texts in a row (checkbox: Yes / No; empty when there is none). */
	cells(row: Row): { def: CustomFieldDef; text: string }[] {
		return this.shown.map((def) => ({ def, text: customShown(def, row.custom[def.id]) }));
	}
}
