import { describe, expect, it } from 'vitest';
import { checkValue, CUSTOMER_FIELDS } from './records.ts';
import {
	COUNTRY_CODES,
	countryChoices,
	countryCode,
	countryName,
	countryOptions,
	countryText,
	isCountryCode
} from './countries.ts';

describe('country codes', () => {
	it('lists the ISO 3166-1 alpha-2 codes once each', () => {
		expect(COUNTRY_CODES.length).toBe(250); // 249 assigned + XK
		expect(new Set(COUNTRY_CODES).size).toBe(COUNTRY_CODES.length);
		for (const c of ['DE', 'US', 'GB', 'PL', 'PT', 'BR', 'FR', 'CH', 'AT']) expect(isCountryCode(c)).toBe(true);
		expect(isCountryCode('de')).toBe(false);
		expect(isCountryCode('UK')).toBe(false);
		expect(isCountryCode(42)).toBe(false);
	});

	it('every code has a name in every UI language', () => {
		for (const lang of ['en', 'de', 'fr', 'pl', 'pt']) {
			for (const c of COUNTRY_CODES) expect(countryName(c, lang), `${c} in ${lang}`).not.toBe(c);
		}
	});
});

describe('countryCode: a stored value read as a country', () => {
	it('reads codes and names in the five UI languages, whatever the case and accents', () => {
		for (const v of ['DE', 'de', ' De ', 'Germany', 'Deutschland', 'DEUTSCHLAND', 'Allemagne', 'Niemcy', 'Alemanha'])
			expect(countryCode(v), v).toBe('DE');
		expect(countryCode('Österreich')).toBe('AT');
		expect(countryCode('osterreich')).toBe('AT');
		expect(countryCode('Côte d’Ivoire')).toBe('CI');
		expect(countryCode("cote d'ivoire")).toBe('CI');
		expect(countryCode('États-Unis')).toBe('US');
		expect(countryCode('USA')).toBe('US');
		expect(countryCode('Wielka Brytania')).toBe('GB');
		expect(countryCode('Suisse')).toBe('CH');
		expect(countryCode('Polska')).toBe('PL');
	});

	it('anything else is no country (kept as free text)', () => {
		expect(countryCode('Bavaria-Land')).toBeNull();
		expect(countryCode('Atlantis')).toBeNull();
		expect(countryCode('XX')).toBeNull();
		expect(countryCode('')).toBeNull();
		expect(countryCode('   ')).toBeNull();
		expect(countryCode(null)).toBeNull();
		expect(countryCode(undefined)).toBeNull();
	});
});

describe('countryText: what a reader sees', () => {
	it('a known country by name in the reader’s language', () => {
		expect(countryText('DE', 'en')).toBe('Germany');
		expect(countryText('DE', 'de')).toBe('Deutschland');
		expect(countryText('DE', 'fr')).toBe('Allemagne');
		expect(countryText('DE', 'pl')).toBe('Niemcy');
		expect(countryText('Deutschland', 'pt')).toBe('Alemanha');
	});

	it('free text as written, never lost', () => {
		expect(countryText('Bavaria-Land', 'de')).toBe('Bavaria-Land');
		expect(countryText('  Bavaria-Land ', 'en')).toBe('Bavaria-Land');
		expect(countryText('', 'en')).toBe('');
		expect(countryText(null, 'en')).toBe('');
	});
});

describe('the country list', () => {
	it('every country once, by name in the reader’s alphabetical order', () => {
		const de = countryOptions('de');
		expect(de.length).toBe(COUNTRY_CODES.length);
		const labels = de.map((o) => o.label);
		// German collation: Ä sorts with A, Ö with O (not after Z).
		expect(labels.indexOf('Ägypten')).toBeLessThan(labels.indexOf('Albanien'));
		expect(labels.indexOf('Österreich')).toBeLessThan(labels.indexOf('Pakistan'));
		expect(de.find((o) => o.value === 'DE')?.label).toBe('Deutschland');
		const pl = countryOptions('pl').map((o) => o.label);
		expect(pl.indexOf('Niemcy')).toBeLessThan(pl.indexOf('Polska'));
		const en = countryOptions('en').map((o) => o.label);
		expect(en.indexOf('Germany')).toBeLessThan(en.indexOf('Ghana'));
	});

	it('a stored code or name selects its country; stored free text stays selected as itself', () => {
		expect(countryChoices('DE', 'en').selected).toBe('DE');
		expect(countryChoices('Deutschland', 'en').selected).toBe('DE');
		expect(countryChoices('', 'en')).toEqual({ options: countryOptions('en'), selected: '' });
		expect(countryChoices(null, 'en').selected).toBe('');

		const free = countryChoices('Bavaria-Land', 'en');
		expect(free.selected).toBe('Bavaria-Land');
		expect(free.options[0]).toEqual({ value: 'Bavaria-Land', label: 'Bavaria-Land' });
		expect(free.options.length).toBe(COUNTRY_CODES.length + 1);
	});

	it('what the list stores passes the field’s validation on device and server', () => {
		for (const c of COUNTRY_CODES) expect(checkValue(CUSTOMER_FIELDS.country, c)).toBeNull();
		expect(checkValue(CUSTOMER_FIELDS.country, 'Bavaria-Land')).toBeNull();
		expect(checkValue(CUSTOMER_FIELDS.country, '')).toBeNull();
		expect(checkValue(CUSTOMER_FIELDS.country, null)).toBeNull();
		expect(checkValue(CUSTOMER_FIELDS.country, 'x'.repeat(101))).toBe('too_long');
		expect(checkValue(CUSTOMER_FIELDS.country, ['DE'])).toBe('not_text');
	});
});
