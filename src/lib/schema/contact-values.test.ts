import { describe, expect, it } from 'vitest';
import { storedBirthday } from './birthday.ts';
import {
	externalIdsOf,
	externalSourceOf,
	formatTags,
	makePrimary,
	parseTags,
	valueFields,
	valuesOf
} from './contact-values.ts';

describe('labelled e-mails and phones as flat keys', () => {
	it('the primary stays in `email`; further values fill slots; unused slots are cleared', () => {
		const fields = valueFields('email', [
			{ value: ' ana@work.example ', label: 'work' },
			{ value: '', label: 'home' },
			{ value: 'ana@home.example', label: 'home' }
		]);
		expect(fields).toMatchObject({
			email: 'ana@work.example',
			emailLabel: 'work',
			'emails.1': 'ana@home.example',
			'emails.1.label': 'home',
			'emails.2': null,
			'emails.4.label': null
		});
		expect(valuesOf(fields, 'email')).toEqual([
			{ value: 'ana@work.example', label: 'work' },
			{ value: 'ana@home.example', label: 'home' }
		]);
	});

	it('make primary swaps the chosen value with the primary one', () => {
		const list = [
			{ value: '+49 1', label: 'work' as const },
			{ value: '+49 2', label: 'mobile' as const },
			{ value: '+49 3', label: null }
		];
		const swapped = makePrimary(list, 2);
		expect(swapped.map((v) => v.value)).toEqual(['+49 3', '+49 2', '+49 1']);
		expect(valueFields('phone', swapped)).toMatchObject({ phone: '+49 3', phoneLabel: null, 'phones.2': '+49 1' });
		expect(makePrimary(list, 0)).toEqual(list);
	});

	it('a label that is not one of ours reads as none; a non-text value is no value', () => {
		expect(valuesOf({ email: 'a@b.example', emailLabel: 'boss', 'emails.1': 7 }, 'email')).toEqual([
			{ value: 'a@b.example', label: null }
		]);
	});
});

describe('tags', () => {
	it('split at , ; and :::, trimmed, each once whatever its case', () => {
		expect(parseTags('VIP, kunden; Messe 2026 ::: vip')).toEqual(['VIP', 'kunden', 'Messe 2026']);
		expect(formatTags(['VIP', ' Kunden ', ''])).toBe('VIP, Kunden');
		expect(formatTags([])).toBeNull();
	});
});

describe('external ids', () => {
	it('kept per source; a layout names its source, a user mapping is csv', () => {
		expect(externalSourceOf('google-legacy')).toBe('google');
		expect(externalSourceOf('excel-de')).toBe('excel');
		expect(externalSourceOf('custom')).toBe('csv');
		expect(externalIdsOf({ 'externalIds.salesforce': '003A1', 'externalIds.google': '' })).toEqual({
			salesforce: '003A1'
		});
	});
});

describe('stored birthdays', () => {
	it('with a year or without; never an impossible date', () => {
		expect(storedBirthday('1980-04-15')).toEqual({ year: 1980, month: 4, day: 15 });
		expect(storedBirthday('--02-29')).toEqual({ year: null, month: 2, day: 29 });
		expect(storedBirthday('1981-02-29')).toBeNull();
		expect(storedBirthday('--0415')).toBeNull();
		expect(storedBirthday('15.04.1980')).toBeNull();
	});
});
