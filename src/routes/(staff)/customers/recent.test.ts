import { describe, expect, it } from 'vitest';
import { RECENT_MAX, readRecent, rememberOpened } from './recent';

function memory(): Pick<Storage, 'getItem' | 'setItem'> & { data: Map<string, string> } {
	const data = new Map<string, string>();
	return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('recently opened customers', () => {
	it('newest first, each once, at most RECENT_MAX, per user', () => {
		const s = memory();
		for (let i = 0; i < RECENT_MAX + 3; i++) rememberOpened(s, 'u1', `c${i}`, i);
		rememberOpened(s, 'u1', 'c5', 100);
		const ids = readRecent(s, 'u1').map((e) => e.id);
		expect(ids[0]).toBe('c5');
		expect(ids).toHaveLength(RECENT_MAX);
		expect(new Set(ids).size).toBe(RECENT_MAX);
		expect(readRecent(s, 'u2')).toEqual([]);
	});

	it('ignores what it cannot read and survives a storage that refuses writes', () => {
		const s = memory();
		s.data.set('fieldbook:recent:u1', '{nope');
		expect(readRecent(s, 'u1')).toEqual([]);
		s.data.set('fieldbook:recent:u1', JSON.stringify([{ id: 'a', at: 1 }, { id: 2 }, null]));
		expect(readRecent(s, 'u1')).toEqual([{ id: 'a', at: 1 }]);
		const full = {
			getItem: () => null,
			setItem: () => {
				throw new Error('QuotaExceededError');
			}
		};
		expect(rememberOpened(full, 'u1', 'x', 5)).toEqual([{ id: 'x', at: 5 }]);
	});
});
