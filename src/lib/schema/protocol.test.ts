import { describe, expect, it } from 'vitest';
import { CloseCode, isValidDocName } from './protocol.ts';

describe('isValidDocName', () => {
	it.each(['0190a5e4-7c3b-7d2e-9f1a-2b3c4d5e6f70', 'settings', 'a', 'A_b-9', 'x'.repeat(64)])('accepts %s', (name) => {
		expect(isValidDocName(name)).toBe(true);
	});

	it.each([
		['empty', ''],
		['65 characters', 'x'.repeat(65)],
		['a path', '../users'],
		['a slash', 'a/b'],
		['a dot', 'settings.json'],
		['a space', 'a b'],
		['a trailing newline', 'settings\n'],
		['percent-encoding', 'a%2Fb'],
		['non-ASCII', 'kündé']
	])('[§6] refuses a document name with %s', (_what, name) => {
		expect(isValidDocName(name)).toBe(false);
	});
});

describe('CloseCode', () => {
	it('refusals that retrying cannot fix use 4400–4499, so the y-websocket client stops reconnecting', () => {
		for (const code of [CloseCode.malformed, CloseCode.unauthorized, CloseCode.forbidden, CloseCode.tooLarge]) {
			expect(code).toBeGreaterThanOrEqual(4400);
			expect(code).toBeLessThan(4500);
		}
		expect(CloseCode.goingAway).toBe(1001);
	});
});
