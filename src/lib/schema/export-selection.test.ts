import { describe, expect, it } from 'vitest';
import { MAX_SELECTION, parseSelection } from './export-selection.ts';

describe('a selection to export', () => {
	it('reads the ids, each once, in the order sent', () => {
		expect(parseSelection({ ids: ['b-1', 'a_2', 'b-1'] })).toEqual({ ok: true, ids: ['b-1', 'a_2'] });
	});

	it('refuses what the page could not have sent, with the reason', () => {
		expect(parseSelection(null)).toEqual({ ok: false, error: 'not_a_list' });
		expect(parseSelection({ ids: 'a,b' })).toEqual({ ok: false, error: 'not_a_list' });
		expect(parseSelection({ ids: [] })).toEqual({ ok: false, error: 'empty' });
		expect(parseSelection({ ids: [7] })).toEqual({ ok: false, error: 'bad_id' });
		expect(parseSelection({ ids: ["x' OR 1=1 --"] })).toEqual({ ok: false, error: 'bad_id' });
		expect(parseSelection({ ids: ['a'.repeat(65)] })).toEqual({ ok: false, error: 'bad_id' });
	});

	it(`is capped at ${MAX_SELECTION} contacts`, () => {
		const ids = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);
		expect(parseSelection({ ids: ids(MAX_SELECTION) }).ok).toBe(true);
		expect(parseSelection({ ids: ids(MAX_SELECTION + 1) })).toEqual({ ok: false, error: 'too_many' });
	});
});
