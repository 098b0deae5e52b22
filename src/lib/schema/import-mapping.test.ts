import { describe, expect, it } from 'vitest';
import { IMPORT_FIELDS, type ColumnTarget } from './import-fields.ts';
import {
	customTargetFor,
	MAX_MAPPED_COLUMNS,
	TARGET_CHOICES,
	namesSomeone,
	parseMappingKeys,
	parseTargetKey,
	targetKey
} from './import-mapping.ts';

describe('import mapping keys', () => {
	it('every target a layout or the screen uses reads back as itself', () => {
		const targets: ColumnTarget[] = [
			{ kind: 'ignore' },
			{ kind: 'field', field: 'firstName' },
			{ kind: 'field', field: 'street', slot: 2 },
			{ kind: 'field', field: 'phone', label: 'mobile' },
			{ kind: 'field', field: 'email', label: 'work', slot: 1 },
			{ kind: 'label', field: 'email', slot: 3 }
		];
		for (const t of targets) expect(parseTargetKey(targetKey(t))).toEqual(t);
		for (const key of TARGET_CHOICES) expect(targetKey(parseTargetKey(key)!)).toBe(key);
		for (const f of IMPORT_FIELDS) expect(TARGET_CHOICES.some((k) => k.startsWith(`field:${f}`))).toBe(true);
	});

	it('refuses what the mapping screen could not have sent', () => {
		for (const bad of [
			'',
			'field:',
			'field:password',
			'field:__proto__',
			'field:constructor',
			'field:firstName:work',
			'field:email:boss',
			'label:firstName@1',
			'label:email',
			'field:email@100',
			'custom:abc',
			'ignore ',
			'x'.repeat(100),
			42,
			null,
			{ kind: 'ignore' }
		])
			expect(parseTargetKey(bad), JSON.stringify(bad)).toBeNull();
	});

	it('a mapping has one valid key per column, and says what is wrong first', () => {
		expect(parseMappingKeys(['field:firstName', 'ignore'], 2)).toEqual({
			ok: true,
			targets: [{ kind: 'field', field: 'firstName' }, { kind: 'ignore' }]
		});
		expect(parseMappingKeys('ignore', 1)).toEqual({ ok: false, error: 'not_a_list' });
		expect(parseMappingKeys(['ignore'], 2)).toEqual({ ok: false, error: 'column_count' });
		expect(parseMappingKeys(['ignore', 'field:nope'], 2)).toEqual({ ok: false, error: 'unknown_target', column: 1 });
		const huge = new Array<string>(MAX_MAPPED_COLUMNS + 1).fill('ignore');
		expect(parseMappingKeys(huge, huge.length)).toEqual({ ok: false, error: 'too_many_columns' });
	});

	it('a mapping must name someone: a name, a company or an e-mail', () => {
		expect(namesSomeone([{ kind: 'field', field: 'phone' }, { kind: 'ignore' }])).toBe(false);
		expect(
			namesSomeone([
				{ kind: 'field', field: 'phone' },
				{ kind: 'field', field: 'email', label: 'work' }
			])
		).toBe(true);
	});

	it('an additional field: custom.<id> both ways; a malformed id is no target', () => {
		expect(parseTargetKey('custom.shoe_size-2')).toEqual({ kind: 'custom', id: 'shoe_size-2' });
		expect(targetKey({ kind: 'custom', id: 'shoe' })).toBe('custom.shoe');
		for (const bad of ['custom.', 'custom.a b', 'custom.a.b', `custom.${'x'.repeat(65)}`, 'custom:shoe'])
			expect(parseTargetKey(bad), bad).toBeNull();
	});

	it('customTargetFor: the one live field with the header as its label, case and spaces aside', () => {
		const fields = [
			{ id: 'a', label: 'Customer No', removedAt: null },
			{ id: 'b', label: 'Old code', removedAt: 5 },
			{ id: 'c', label: 'Size', removedAt: null },
			{ id: 'd', label: 'SIZE', removedAt: null }
		];
		expect(customTargetFor('customer no', fields)).toEqual({ kind: 'custom', id: 'a' });
		expect(customTargetFor('  CustomerNo ', fields)).toEqual({ kind: 'custom', id: 'a' });
		expect(customTargetFor('Customer\tNo', fields)).toEqual({ kind: 'custom', id: 'a' });
		expect(customTargetFor('Customer Number', fields)).toBeNull();
		expect(customTargetFor('Old code', fields)).toBeNull(); // removed
		expect(customTargetFor('size', fields)).toBeNull(); // two fields of that name
		expect(customTargetFor('', [{ id: 'e', label: ' ', removedAt: null }])).toBeNull();
	});
});
