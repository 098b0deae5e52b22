import { describe, expect, it } from 'vitest';
import type { CustomFieldDef, CustomFieldType } from './custom-fields.ts';
import type { FieldValue } from './records.ts';
import { filterCustom, parseCustomFilters } from './custom-filter.ts';

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

describe('filters in a query', () => {
	it('are read from cf.<id> parameters; malformed ones are refused', () => {
		expect(parseCustomFilters(new URLSearchParams('q=x&cf.tier=Gold&cf.note=&cf.vip=yes'))).toEqual({
			tier: 'Gold',
			vip: 'yes'
		});
		expect(parseCustomFilters(new URLSearchParams('cf.a.b=x'))).toBeNull();
		expect(parseCustomFilters(new URLSearchParams('cf.tier=a&cf.tier=b'))).toBeNull();
		expect(parseCustomFilters(new URLSearchParams(`cf.tier=${'x'.repeat(201)}`))).toBeNull();
		expect(
			parseCustomFilters(new URLSearchParams(Array.from({ length: 51 }, (_, i) => `cf.f${i}=x`).join('&')))
		).toBeNull();
	});
});
