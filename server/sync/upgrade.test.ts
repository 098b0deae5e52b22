import { describe, expect, it } from 'vitest';
import { parseTarget } from '../request-guard.ts';
import { readCookie } from './upgrade.ts';

describe('parseTarget: the request target, never throwing', () => {
	it('reads origin-form and absolute-form targets', () => {
		expect(parseTarget('/sync/abc?ack=1')?.pathname).toBe('/sync/abc');
		expect(parseTarget('/sync/abc?ack=1')?.params.get('ack')).toBe('1');
		expect(parseTarget('http://localhost:3000/feed')?.pathname).toBe('/feed');
	});

	it('gives null for targets that do not parse (they used to throw out of the upgrade and stop Node)', () => {
		for (const bad of ['http://[/sync/x', '*', '', '//evil/sync/x', 'x'.repeat(9000), 'sync/x', 'http://[']) {
			expect(parseTarget(bad), bad).toBeNull();
		}
		expect(parseTarget(undefined)).toBeNull();
	});
});

describe('readCookie: tolerant, as SvelteKit reads cookies', () => {
	it('a value that is not valid percent-encoding is taken as it stands', () => {
		expect(readCookie('fieldbook_session=%E0%A4%A', 'fieldbook_session')).toBe('%E0%A4%A');
		expect(readCookie('a=%E0; fieldbook_session=abc', 'fieldbook_session')).toBe('abc');
		expect(readCookie('fieldbook_session="abc"', 'fieldbook_session')).toBe('abc');
		expect(readCookie('=;;;=', 'fieldbook_session')).toBeNull();
		expect(readCookie(undefined, 'fieldbook_session')).toBeNull();
		expect(readCookie(['a=b'], 'a')).toBeNull();
	});
});
