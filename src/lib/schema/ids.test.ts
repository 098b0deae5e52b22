import { describe, expect, it } from 'vitest';
import { idTime, isId, newId } from './ids.ts';

describe('newId', () => {
	it('makes UUIDv7s that carry their creation time', () => {
		const now = Date.UTC(2026, 11, 7, 20, 30);
		const id = newId(now);
		expect(isId(id)).toBe(true);
		expect(idTime(id)).toBe(now);
	});

	it('never repeats, across many refills of its random pool', () => {
		const now = Date.now();
		const ids = new Set(Array.from({ length: 5000 }, () => newId(now)));
		expect(ids.size).toBe(5000);
		// The random part differs too, not only a counter: ids made in one millisecond spread out.
		const tails = new Set([...ids].map((id) => id.slice(-12, -8)));
		expect(tails.size).toBeGreaterThan(4000);
	});
});
