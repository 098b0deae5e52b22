import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import type { CustomFieldDef, CustomFieldType } from '$lib/schema/custom-fields';
import { customErrorText, customFlagText, definitionErrorText } from './custom-text';

const def = (type: CustomFieldType): CustomFieldDef => ({
	id: 'f',
	appliesTo: 'company',
	type,
	label: 'F',
	order: 1,
	required: false,
	options: ['Gold'],
	removedAt: null
});

describe('the words for additional fields', () => {
	it('a typed value and a typed definition are refused in the same words where the reason is the same', () => {
		expect(customErrorText('required')).toBe(m.error_required());
		expect(definitionErrorText('required')).toBe(m.error_required());
		expect(definitionErrorText('too_long')).toBe(customErrorText('too_long'));
		expect(definitionErrorText('duplicate')).toBe(m.cf_error_duplicate());
		expect(customErrorText(undefined)).toBeUndefined();
		expect(definitionErrorText(undefined)).toBeUndefined();
	});

	it('a number out of range reads as "not a number"; a value of another kind as "other"', () => {
		expect(customErrorText('out_of_range')).toBe(m.cf_error_not_number());
		expect(customErrorText('not_checkbox')).toBe(m.cf_flag_other());
	});

	it('a stored value that no longer fits is flagged with its reason, and one that fits is not', () => {
		expect(customFlagText(def('number'), 'twelve')).toBe(m.cf_flag_not_number());
		expect(customFlagText(def('select'), 'Silver')).toBe(m.cf_flag_invalid_choice());
		expect(customFlagText(def('checkbox'), 'yes')).toBe(m.cf_flag_other());
		expect(customFlagText(def('select'), 'Gold')).toBeNull();
		expect(customFlagText(def('number'), 12)).toBeNull();
	});
});
