import { describe, expect, it } from 'vitest';
import type { CustomFieldDef, CustomFieldType } from '$lib/schema/custom-fields';
import { customDraftFrom, customDraftValues } from './custom-draft';

const def = (id: string, type: CustomFieldType, more: Partial<CustomFieldDef> = {}): CustomFieldDef => ({
	id,
	appliesTo: 'company',
	type,
	label: id,
	order: 1,
	required: false,
	options: ['Gold'],
	removedAt: null,
	...more
});

describe('the additional fields form', () => {
	const defs = [
		def('size', 'number'),
		def('vip', 'checkbox'),
		def('tier', 'select'),
		def('note', 'text', { required: true })
	];

	it('shows stored values as text and ticks', () => {
		expect(customDraftFrom(defs, { size: 12.5, vip: true, note: 'hi' })).toEqual({
			size: '12.5',
			vip: true,
			tier: '',
			note: 'hi'
		});
	});

	it('writes only what changed, parsed by type', () => {
		const stored = { size: 12, note: 'hi' };
		const initial = customDraftFrom(defs, stored);
		const draft = { ...initial, size: '1.234,5', vip: true, tier: 'gold' };
		expect(customDraftValues(defs, draft, initial, stored)).toEqual({
			values: { size: 1234.5, vip: true, tier: 'Gold' },
			errors: {}
		});
	});

	it('keeps a flagged value untouched, and names errors of changed or missing ones', () => {
		const stored = { size: 'about 40' }; // typed when the field was text
		const initial = customDraftFrom(defs, stored);
		expect(customDraftValues(defs, initial, initial, stored)).toEqual({ values: {}, errors: { note: 'required' } });
		const draft = { ...initial, size: 'forty', tier: 'Bronze', note: '  ' };
		expect(customDraftValues(defs, draft, initial, stored).errors).toEqual({
			size: 'not_number',
			tier: 'invalid_choice',
			note: 'required'
		});
	});
});
