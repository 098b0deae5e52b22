import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CustomFieldDef, CustomFieldType } from './custom-fields.ts';
import {
	checkCustomValue,
	checkRequired,
	customFieldId,
	customImportTargets,
	customValueShape,
	parseCustomCell,
	readCustomValues,
	validateCustomValues,
	writeCustomValues
} from './custom-values.ts';

const def = (type: CustomFieldType, more: Partial<CustomFieldDef> = {}): CustomFieldDef => ({
	id: 'f1',
	appliesTo: 'company',
	type,
	label: 'Field',
	order: 1,
	required: false,
	options: ['Gold', 'Silver'],
	removedAt: null,
	...more
});

describe('the value rule', () => {
	it('accepts values of each type and empty values', () => {
		expect(checkCustomValue(def('text'), 'hello')).toBeNull();
		expect(checkCustomValue(def('longText'), 'a\nb'.repeat(1000))).toBeNull();
		expect(checkCustomValue(def('number'), -12.5)).toBeNull();
		expect(checkCustomValue(def('date'), '2026-02-28')).toBeNull();
		expect(checkCustomValue(def('checkbox'), false)).toBeNull();
		expect(checkCustomValue(def('select'), 'Gold')).toBeNull();
		expect(checkCustomValue(def('url'), 'https://example.org/a')).toBeNull();
		for (const t of ['number', 'date', 'select'] as const) {
			expect(checkCustomValue(def(t), null)).toBeNull();
			expect(checkCustomValue(def(t), '')).toBeNull();
		}
	});

	it('names what is wrong with a value that does not fit', () => {
		expect(checkCustomValue(def('text'), 'x'.repeat(501))).toBe('too_long');
		expect(checkCustomValue(def('text'), 3)).toBe('not_text');
		expect(checkCustomValue(def('number'), '12')).toBe('not_number');
		expect(checkCustomValue(def('number'), 2e15)).toBe('out_of_range');
		expect(checkCustomValue(def('date'), '2026-02-30')).toBe('invalid_date');
		expect(checkCustomValue(def('checkbox'), 'yes')).toBe('not_checkbox');
		expect(checkCustomValue(def('select'), 'Bronze')).toBe('invalid_choice');
		expect(checkCustomValue(def('url'), 'javascript:alert(1)')).toBe('invalid_url');
		expect(checkCustomValue(def('url'), 'example.org')).toBe('invalid_url');
	});

	it('required is asked separately, and only of live fields of the target', () => {
		expect(checkRequired(def('text', { required: true }), '')).toBe('required');
		expect(checkRequired(def('checkbox', { required: true }), false)).toBeNull();
		const defs = [
			def('text', { id: 'a', required: true }),
			def('number', { id: 'b' }),
			def('text', { id: 'gone', required: true, removedAt: 1 }),
			def('text', { id: 'p', appliesTo: 'person', required: true })
		];
		expect(validateCustomValues(defs, 'company', { b: 'x' as never })).toEqual({ a: 'required', b: 'not_number' });
	});
});

describe('the shape the server accepts', () => {
	it('keys carry a field id', () => {
		expect(customFieldId('custom.tier_1')).toBe('tier_1');
		expect(customFieldId('custom.')).toBeNull();
		expect(customFieldId('custom.a.b')).toBeNull();
		expect(customFieldId('custom.' + 'x'.repeat(65))).toBeNull();
		expect(customFieldId('companyName')).toBeNull();
	});

	it('values are plain, finite and bounded', () => {
		for (const v of [null, true, 0, -3.5, 'text', 'x'.repeat(10_000)]) expect(customValueShape(v)).toBeNull();
		expect(customValueShape('x'.repeat(10_001))).toBe('too_long');
		expect(customValueShape(Infinity)).toBe('invalid');
		expect(customValueShape(NaN)).toBe('invalid');
		expect(customValueShape(1e16)).toBe('out_of_range');
		expect(customValueShape({ a: 1 })).toBe('invalid');
		expect(customValueShape([1])).toBe('invalid');
		expect(customValueShape(undefined)).toBe('invalid');
	});
});

describe('values in a record map', () => {
	it('are written per key (trimmed, cleared with null) and read back', () => {
		const doc = new Y.Doc();
		const m = doc.getMap<unknown>('customer');
		m.set('companyName', 'Acme');
		writeCustomValues(m, { tier: ' Gold ', size: 12, vip: true, 'bad.id': 'x' });
		expect(readCustomValues(m)).toEqual({ tier: 'Gold', size: 12, vip: true });
		writeCustomValues(m, { tier: '' });
		expect(readCustomValues(m)).toEqual({ tier: null, size: 12, vip: true });
		expect(m.get('companyName')).toBe('Acme');
	});
});

describe('import: mapping targets and cell parsing', () => {
	it('lists the live fields of a target', () => {
		const defs = [
			def('number', { id: 'a', label: 'Size' }),
			def('text', { id: 'b', removedAt: 2 }),
			def('date', { id: 'c', appliesTo: 'person' })
		];
		expect(customImportTargets(defs, 'company')).toEqual([
			{ key: 'custom.a', fieldId: 'a', label: 'Size', type: 'number' }
		]);
	});

	it('parses cells into values or names the error, never evaluating them', () => {
		const cases: [CustomFieldType, string, unknown][] = [
			['text', '  =SUM(A1)  ', { value: '=SUM(A1)' }],
			['text', 'two\nlines', { value: 'two lines' }],
			['longText', 'two\r\nlines', { value: 'two\nlines' }],
			['number', '1.234,5', { value: 1234.5 }],
			['number', '1,234.5', { value: 1234.5 }],
			['number', '1 234,5', { value: 1234.5 }],
			['number', '-7', { value: -7 }],
			['number', '12 kg', { error: 'not_number' }],
			['date', '2026-03-01', { value: '2026-03-01' }],
			['date', '1.3.2026', { value: '2026-03-01' }],
			['date', '31.2.2026', { error: 'invalid_date' }],
			['checkbox', 'Ja', { value: true }],
			['checkbox', 'no', { value: false }],
			['checkbox', 'maybe', { error: 'not_checkbox' }],
			['select', 'gold', { value: 'Gold' }],
			['select', 'Bronze', { error: 'invalid_choice' }],
			['url', 'example.org', { value: 'https://example.org' }],
			['url', 'javascript:alert(1)', { error: 'invalid_url' }],
			['number', '   ', { value: null }]
		];
		for (const [type, cell, expected] of cases)
			expect([type, cell, parseCustomCell(def(type), cell)]).toEqual([type, cell, expected]);
	});
});
