import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.ts';

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
	let t = start;
	return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('RateLimiter', () => {
	it('[§8] allows `limit` attempts, then asks the caller to wait until the window ends', () => {
		const c = clock();
		const limiter = new RateLimiter(3, 60_000, c.now);
		for (let i = 0; i < 3; i++) {
			expect(limiter.retryAfter('ana@example.com')).toBe(0);
			limiter.hit('ana@example.com');
		}
		expect(limiter.retryAfter('ana@example.com')).toBe(60_000);
		c.advance(20_000);
		expect(limiter.retryAfter('ana@example.com')).toBe(40_000);
	});

	it('[§8] nobody is locked out for good: once the window has passed, attempts are allowed again', () => {
		const c = clock();
		const limiter = new RateLimiter(2, 60_000, c.now);
		limiter.hit('k');
		limiter.hit('k');
		limiter.hit('k');
		expect(limiter.retryAfter('k')).toBeGreaterThan(0);
		c.advance(59_999);
		expect(limiter.retryAfter('k')).toBe(1);
		c.advance(1);
		expect(limiter.retryAfter('k')).toBe(0);
		// A fresh window: the old count does not carry over.
		limiter.hit('k');
		expect(limiter.retryAfter('k')).toBe(0);
		limiter.hit('k');
		expect(limiter.retryAfter('k')).toBe(60_000);
	});

	it('hits after the window ended start a new window instead of extending the old one', () => {
		const c = clock();
		const limiter = new RateLimiter(2, 1_000, c.now);
		limiter.hit('k');
		c.advance(1_000);
		limiter.hit('k');
		expect(limiter.retryAfter('k')).toBe(0);
	});

	it('asking does not count as an attempt', () => {
		const limiter = new RateLimiter(1, 60_000, clock().now);
		for (let i = 0; i < 5; i++) expect(limiter.retryAfter('k')).toBe(0);
		limiter.hit('k');
		expect(limiter.retryAfter('k')).toBeGreaterThan(0);
	});

	it('keys are counted separately', () => {
		const limiter = new RateLimiter(1, 60_000, clock().now);
		limiter.hit('ana@example.com');
		expect(limiter.retryAfter('ana@example.com')).toBeGreaterThan(0);
		expect(limiter.retryAfter('ben@example.com')).toBe(0);
	});

	it('reset clears the count of that key only', () => {
		const limiter = new RateLimiter(1, 60_000, clock().now);
		limiter.hit('a');
		limiter.hit('b');
		limiter.reset('a');
		expect(limiter.retryAfter('a')).toBe(0);
		expect(limiter.retryAfter('b')).toBeGreaterThan(0);
	});
});
