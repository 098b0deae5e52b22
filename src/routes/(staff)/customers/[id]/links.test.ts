import { describe, expect, it } from 'vitest';
import { mailtoHref, mapUrl, telHref, webHref } from './links';

describe('customer page links', () => {
	it('tel: keeps the digits and the leading +, dropping spaces and separators', () => {
		expect(telHref('+49 (30) 123-45 67')).toBe('tel:+49301234567');
		expect(telHref(' 0 81 41 / 22 ')).toBe('tel:08141' + '22');
	});

	it('[issue #13] tel: dials the E.164 form the export writes: a national number read in the record’s (or the workspace’s) region, an extension as ;ext=', () => {
		expect(telHref('030 1234567', 'DE')).toBe('tel:+49301234567');
		expect(telHref('030 1234567', null)).toBe('tel:0301234567');
		expect(telHref('+1 212 555 0100 ext. 45')).toBe('tel:+12125550100;ext=45');
		// Text that is no number keeps only what a dialer can use.
		expect(telHref('ask for Ana: 12', 'DE')).toBe('tel:12');
	});

	it('mailto: keeps the address readable and cannot gain parameters', () => {
		expect(mailtoHref('ada@example.com')).toBe('mailto:ada@example.com');
		expect(mailtoHref('a?cc=b@example.com')).toBe('mailto:a%3Fcc%3Db@example.com');
	});

	it('a website opens only as http(s)', () => {
		expect(webHref('https://example.com')).toBe('https://example.com/');
		expect(webHref('javascript:alert(1)')).toBeNull();
		expect(webHref('not a url')).toBeNull();
	});

	it('the map link searches OpenStreetMap for the whole address', () => {
		const a = { street: 'Hauptstraße 1', postalCode: '82256', city: 'Fürstenfeldbruck', country: 'Deutschland' };
		expect(mapUrl(a, 'de')).toBe(
			'https://www.openstreetmap.org/search?query=Haupt' +
				'stra%C3%9Fe%201%2C%2082256%20F%C3%BCrstenfeldbruck%2C%20Deutschland'
		);
		// A stored code is searched by the country's name, never as "DE".
		expect(mapUrl({ city: 'Lyon', country: 'FR' }, 'en')).toBe(
			'https://www.openstreetmap.org/search?query=Lyon%2C%20France'
		);
		expect(mapUrl({ city: 'Lyon' }, 'en')).toBe('https://www.openstreetmap.org/search?query=Lyon');
		expect(mapUrl({ street: '  ', city: null }, 'en')).toBeNull();
	});
});
