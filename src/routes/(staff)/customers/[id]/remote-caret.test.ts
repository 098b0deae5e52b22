import { describe, expect, it } from 'vitest';
import { caretOf, placeCaret, readCaret } from './remote-caret';

describe('remote carets', () => {
	it('announces the index and the characters before it', () => {
		expect(caretOf('Parking behind the building.', 7)).toEqual({ index: 7, before: 'Parking' });
		expect(caretOf('a', 99)).toEqual({ index: 1, before: 'a' });
		expect(caretOf('Visits on Mondays. Parking behind', 33).before).toBe('. Parking behind');
	});

	it('places the caret after the same words in my text, even where my typing moved them', () => {
		const theirs = 'Parking behind the building. Ask for Anna.';
		const caret = caretOf(theirs, theirs.indexOf(' the building'));
		const mine = 'Visits on Mondays. Parking behind the building.';
		expect(mine.slice(0, placeCaret(mine, caret))).toBe('Visits on Mondays. Parking behind');
	});

	it('picks the occurrence nearest to their index, and falls back to the index inside my text', () => {
		const text = 'door door door';
		expect(placeCaret(text, { index: 10, before: 'door' })).toBe(9);
		expect(placeCaret(text, { index: 1, before: 'door' })).toBe(4);
		expect(placeCaret('short', { index: 40, before: 'nothing like it' })).toBe(5);
		expect(placeCaret('short', { index: 0, before: '' })).toBe(0);
	});

	it('reads only a well-formed caret from presence', () => {
		expect(readCaret({ index: 3, before: 'abc' })).toEqual({ index: 3, before: 'abc' });
		for (const bad of [
			null,
			'x',
			{ index: -1, before: '' },
			{ index: 1.5, before: '' },
			{ index: 2, before: 'x'.repeat(17) },
			{ index: 1 }
		])
			expect(readCaret(bad)).toBeNull();
	});
});
