import { describe, expect, it } from 'vitest';
import type { CustomFieldDef, CustomFieldType } from '$lib/schema/custom-fields';
import type { FieldValue } from '$lib/schema/records';
import { filterCustom } from './custom-filter';

const def = (id: string, type: CustomFieldType, removedAt: number | null = null): CustomFieldDef => ({
	id,
	appliesTo: 'company',
	type,
	label: id,
	order: 1,
	required: false,
	options: ['Gold', 'Silver'],
	removedAt
});
const defs = [def('note', 'text'), def('vip', 'checkbox'), def('tier', 'select'), def('size', 'number')];
const rows: { id: string; custom: Record<string, FieldValue> }[] = [
	{ id: 'a', custom: { note: 'Café owner', vip: true, tier: 'Gold', size: 120 } },
	{ id: 'b', custom: { note: 'bakery', vip: false, tier: 'Silver' } },
	{ id: 'c', custom: {} }
];
const ids = (filters: Record<string, string>, d = defs) => filterCustom(rows, filters, d).map((r) => r.id);

describe('filters on additional fields', () => {
	it('text contains (case and accents ignored), checkbox yes/no, select equals, number as written', () => {
		expect(ids({ note: 'CAFE' })).toEqual(['a']);
		expect(ids({ vip: 'yes' })).toEqual(['a']);
		expect(ids({ vip: 'no' })).toEqual(['b', 'c']);
		expect(ids({ tier: 'Silver' })).toEqual(['b']);
		expect(ids({ size: '12' })).toEqual(['a']);
		expect(ids({ note: 'a', vip: 'no' })).toEqual(['b']);
	});

	it('no filter, or a filter of a field not passed in as live, keeps every row', () => {
		expect(filterCustom(rows, {}, defs)).toBe(rows);
		expect(ids({ gone: 'x', note: ' ' })).toEqual(['a', 'b', 'c']);
	});
});
