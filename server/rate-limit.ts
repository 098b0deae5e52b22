/**
 * Fixed-window counters kept in memory (one server process). A key that reaches its limit
 * is refused until its window ends, never permanently.
 */
export class RateLimiter {
	private readonly windows = new Map<string, { count: number; resetAt: number }>();

	constructor(
		readonly limit: number,
		readonly windowMs: number,
		private readonly now: () => number = Date.now
	) {}

	/** Milliseconds until `key` may try again; 0 when it may try now. Does not count. */
	retryAfter(key: string): number {
		const w = this.windows.get(key);
		if (!w) return 0;
		const left = w.resetAt - this.now();
		if (left <= 0) {
			this.windows.delete(key);
			return 0;
		}
		return w.count >= this.limit ? left : 0;
	}

	/** Counts one attempt against `key`. */
	hit(key: string): void {
		const now = this.now();
		const w = this.windows.get(key);
		if (!w || w.resetAt <= now) this.windows.set(key, { count: 1, resetAt: now + this.windowMs });
		else w.count++;
		if (this.windows.size > 100_000) this.sweep();
	}

	reset(key: string): void {
		this.windows.delete(key);
	}

	private sweep(): void {
		const now = this.now();
		for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
	}
}
