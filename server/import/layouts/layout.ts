/**
 * What a known export layout is (layouts.ts lists them): the headers that recognise it and the
 * target each of its columns has; and the helpers the layouts are written with.
 */
import type { ColumnTarget, MultiField, SingleField, ValueLabel } from '../../../src/lib/schema/import-fields.ts';

export const LAYOUT_IDS = [
	'google',
	'google-legacy',
	'outlook',
	'excel-de',
	'salesforce',
	'perfex',
	'onlyoffice'
] as const;
export type LayoutId = (typeof LAYOUT_IDS)[number];

export interface Layout {
	id: LayoutId;
	/** Any one of these sets of headers, all present, recognises the layout. */
	markers: string[][];
	/** Header (normalised: lowercase, single spaces) → target. */
	columns: Record<string, ColumnTarget>;
	/** Numbered columns ("E-mail 2 - Value"): the first matching pattern gives the target. */
	patterns?: [RegExp, (m: RegExpExecArray) => ColumnTarget][];
}

export const f = (field: SingleField, slot?: number): ColumnTarget =>
	slot === undefined ? { kind: 'field', field } : { kind: 'field', field, slot };
export const v = (field: MultiField, label?: ValueLabel, slot?: number): ColumnTarget => ({
	kind: 'field',
	field,
	label,
	slot
});
export const ignore: ColumnTarget = { kind: 'ignore' };

/** Address parts of one address slot, under the names a layout gives them. */
export function address(
	slot: number,
	names: Partial<Record<'street' | 'city' | 'state' | 'postalCode' | 'country', string[]>>
) {
	const out: Record<string, ColumnTarget> = {};
	for (const [field, headers] of Object.entries(names)) for (const h of headers) out[h] = f(field as SingleField, slot);
	return out;
}
