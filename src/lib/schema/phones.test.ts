import { describe, expect, it } from 'vitest';
import {
	phoneFinds,
	phoneMatches,
	phoneQuery,
	phoneQueryKeys,
	phoneValue,
	recordRegion,
	regionOf,
	samePhoneNumber
} from './phones.ts';

describe('phoneValue', () => {
	it('keeps the raw text and adds E.164 for a number written internationally', () => {
		expect(phoneValue(' +49 8141 123456 ')).toEqual({ raw: '+49 8141 123456', e164: '+498141123456', ext: null });
		expect(phoneValue('0049 (0)8141 / 12 34 56').e164).toBe('+498141123456');
	});

	it('a national number gets E.164 only when the country is known', () => {
		expect(phoneValue('08141 123456').e164).toBeNull();
		expect(phoneValue('08141 123456', 'DE').e164).toBe('+498141123456');
		expect(phoneValue('08141 123456', 'Deutschland').e164).toBe('+498141123456');
		expect(phoneValue('(555) 123-4567', 'United States').e164).toBe('+15551234567');
		expect(phoneValue('22 123 45 67', 'Polska').e164).toBe('+48221234567');
	});

	it('keeps the extension apart, in the forms people write it', () => {
		for (const typed of ['+1 212 555 0100 ext. 45', '+1 212 555 0100 x45', '+1 212-555-0100 #45']) {
			const v = phoneValue(typed);
			expect(v.e164, typed).toBe('+12125550100');
			expect(v.ext, typed).toBe('45');
			expect(v.raw, typed).toBe(typed);
		}
		expect(phoneValue('089 1234567 Durchwahl 12', 'DE')).toMatchObject({ e164: '+49891234567', ext: '12' });
	});

	it('text that is no phone number keeps its raw text and gets no E.164', () => {
		expect(phoneValue('ask the reception', 'DE')).toEqual({ raw: 'ask the reception', e164: null, ext: null });
		expect(phoneValue('+49 1', 'DE').e164).toBeNull();
		expect(phoneValue('').e164).toBeNull();
	});
});

describe('regionOf', () => {
	it('reads ISO codes and country names in the UI languages', () => {
		expect(regionOf('de')).toBe('DE');
		expect(regionOf('Germany')).toBe('DE');
		expect(regionOf('Allemagne')).toBe('DE');
		expect(regionOf('Niemcy')).toBe('DE');
		expect(regionOf('Österreich')).toBe('AT');
		expect(regionOf('Brasil')).toBe('BR');
		expect(regionOf('Atlantis')).toBeNull();
		expect(regionOf('XX')).toBeNull();
		expect(regionOf(null)).toBeNull();
	});
});

describe('phone search (national vs international)', () => {
	it('+49 8141 123 finds 08141 123 and the other way round', () => {
		expect(phoneMatches('08141 123', '+49 8141 123')).toBe(true);
		expect(phoneMatches('+49 8141 123', '08141 123')).toBe(true);
		expect(phoneMatches('+49 (0)8141-123', '0049 8141 123')).toBe(true);
	});

	it('a part of the number finds it; another number does not', () => {
		expect(phoneMatches('+49 8141 123456', '8141')).toBe(true);
		expect(phoneMatches('+49 8141 123456', '0814112')).toBe(true);
		expect(phoneMatches('+49 8141 123456', '089 123')).toBe(false);
		expect(phoneMatches('+33 1 23 45 67 89', '+49 1 23 45 67 89')).toBe(false);
	});

	it('a query with too few digits matches nothing by accident', () => {
		expect(phoneQueryKeys('')).toEqual([]);
		expect(phoneMatches('+49 8141 123', '')).toBe(false);
	});
});

describe('phone search with the record’s region (device lists and export alike)', () => {
	it('a query written internationally is compared with the E.164 form the region gives; a national one by digits', () => {
		expect(phoneMatches('030 1234567', '+49 30 1234567', 'DE')).toBe(true);
		expect(phoneMatches('030 1234567', '+33 30 1234567', 'DE')).toBe(false);
		expect(phoneMatches('030 1234567', '+33 30 1234567', null)).toBe(true);
		// A number still being typed finds it too (it is a part of the stored E.164 form).
		expect(phoneMatches('030 1234567', '+49 30 12', 'DE')).toBe(true);
		expect(phoneMatches('+49 30 1234567', '030 12', 'DE')).toBe(true);
		expect(phoneMatches('030 1234567', '030 1234568', 'DE')).toBe(false);
	});

	it('the query is read once; the stored number’s E.164 form is asked for only when the query is international', () => {
		const national = phoneQuery('030 123');
		expect(national.intl).toBeNull();
		expect(phoneFinds(national, '030 1234567', () => expect.unreachable('not needed'))).toBe(true);
		expect(phoneQuery('0049 (0)30 12')).toEqual({ keys: expect.any(Array), intl: '493012' });
		let asked = 0;
		expect(phoneFinds(phoneQuery('+49 30 123'), '030 1234567', () => (asked++, '+49301234567'))).toBe(true);
		expect(asked).toBe(1);
	});
});

describe('recordRegion', () => {
	it('the record’s own country first, else the workspace default, else none', () => {
		expect(recordRegion('Österreich', 'DE')).toBe('AT');
		expect(recordRegion(null, 'DE')).toBe('DE');
		expect(recordRegion('Atlantis', 'DE')).toBe('DE');
		expect(recordRegion('', null)).toBeNull();
		expect(phoneValue('030 1234567', recordRegion(null, 'DE')).e164).toBe('+49301234567');
		expect(phoneValue('030 1234567', recordRegion(null, null)).e164).toBeNull();
	});
});

describe('samePhoneNumber', () => {
	it('one number however it is written: typed, a tel: URI’s E.164, nationally in the other’s country', () => {
		expect(samePhoneNumber('+49 30 1234567', '+49301234567')).toBe(true);
		expect(samePhoneNumber('030 1234567', '+49301234567')).toBe(true);
		expect(samePhoneNumber('+49301234567', '030 1234567')).toBe(true);
		expect(samePhoneNumber('+1 212 555 0100 ext. 45', '+12125550100 x45')).toBe(true);
		expect(samePhoneNumber('ask the reception', ' ask the reception ')).toBe(true);
	});

	it('another number, another country or another extension is not the same', () => {
		expect(samePhoneNumber('+49 30 1234567', '+49301234568')).toBe(false);
		expect(samePhoneNumber('+33 30 1234567', '+49301234567')).toBe(false);
		expect(samePhoneNumber('+1 212 555 0100 ext. 45', '+12125550100')).toBe(false);
		// Two national numbers: no country to read them in, so only the same text is the same.
		expect(samePhoneNumber('030 1234567', '030 1234568')).toBe(false);
		expect(samePhoneNumber('030 1234567', '0301234567')).toBe(false);
		expect(samePhoneNumber('', '+49301234567')).toBe(false);
	});
});
