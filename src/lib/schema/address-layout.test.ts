import { describe, expect, it } from 'vitest';
import { addressFieldOrder, addressLines, addressStyle } from './address-layout.ts';

describe('address layout', () => {
	it('without a country, the reader’s language decides', () => {
		expect(addressFieldOrder('', 'en')).toEqual(['street', 'city', 'state', 'postalCode', 'country']);
		for (const lang of ['de', 'fr', 'pl', 'pt'])
			expect(addressFieldOrder(null, lang)).toEqual(['street', 'postalCode', 'city', 'state', 'country']);
		expect(addressFieldOrder(undefined, 'xx')).toEqual(['street', 'city', 'state', 'postalCode', 'country']);
	});

	it('a known country decides over the language, as code or name', () => {
		expect(addressStyle('DE', 'en')).toBe('postal-first');
		expect(addressStyle('Deutschland', 'en')).toBe('postal-first');
		expect(addressStyle('Allemagne', 'en')).toBe('postal-first');
		expect(addressStyle('US', 'de')).toBe('city-first');
		expect(addressStyle('Vereinigtes Königreich', 'pl')).toBe('city-first');
		expect(addressStyle('BR', 'pt')).toBe('city-first');
		expect(addressStyle('PT', 'en')).toBe('postal-first');
	});

	it('an unknown or unlisted country falls back to the language', () => {
		expect(addressStyle('Bavaria-Land', 'de')).toBe('postal-first');
		expect(addressStyle('Bavaria-Land', 'en')).toBe('city-first');
		expect(addressStyle('JP', 'fr')).toBe('postal-first');
		expect(addressStyle(42, 'en')).toBe('city-first');
	});
});

describe('address lines (the view)', () => {
	it('postal code before the city, the country by name in the reader’s language', () => {
		const a = { street: 'Hauptstraße 12', postalCode: '82256', city: 'Fürstenfeldbruck', country: 'DE' };
		expect(addressLines(a, 'en')).toEqual(['Hauptstraße 12', '82256 Fürstenfeldbruck', 'Germany']);
		expect(addressLines(a, 'de')).toEqual(['Hauptstraße 12', '82256 Fürstenfeldbruck', 'Deutschland']);
		expect(addressLines({ ...a, state: 'Bayern' }, 'fr')).toEqual([
			'Hauptstraße 12',
			'82256 Fürstenfeldbruck',
			'Bayern',
			'Allemagne'
		]);
	});

	it('city, state and postal code on one line for the US', () => {
		const a = { street: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' };
		expect(addressLines(a, 'en')).toEqual(['1 Main St', 'Springfield, IL 62701', 'United States']);
		expect(addressLines(a, 'de')).toEqual(['1 Main St', 'Springfield, IL 62701', 'Vereinigte Staaten']);
		expect(addressLines({ city: 'London', postalCode: 'SW1A 1AA', country: 'GB' }, 'en')).toEqual([
			'London SW1A 1AA',
			'United Kingdom'
		]);
	});

	it('free text in the country field is shown as written; empty parts are left out', () => {
		expect(addressLines({ city: 'München', postalCode: '80331', country: 'Bavaria-Land' }, 'de')).toEqual([
			'80331 München',
			'Bavaria-Land'
		]);
		expect(addressLines({ street: '  ', city: null, country: '' }, 'en')).toEqual([]);
		expect(addressLines({ city: 'Lyon' }, 'fr')).toEqual(['Lyon']);
	});
});
