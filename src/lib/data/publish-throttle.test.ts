import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PublishThrottle } from './publish-throttle';

describe('PublishThrottle', () => {
	let published: number[];
	let throttle: PublishThrottle;
	beforeEach(() => {
		vi.useFakeTimers({ now: 1000 });
		published = [];
		throttle = new PublishThrottle(() => published.push(Date.now()), 400, () => Date.now());
	});
	afterEach(() => vi.useRealTimers());
	const advance = (ms: number) => vi.advanceTimersByTime(ms);

	it('publishes a change from elsewhere at once when the screen was quiet', () => {
		throttle.runSoon();
		expect(published).toEqual([1000]);
	});

	it('folds a burst into one publication at the end of the interval, none lost', () => {
		throttle.runSoon(); // at once
		for (let i = 0; i < 20; i++) {
			advance(30);
			throttle.runSoon();
		}
		// 600 ms of bursts: the first at once, the rest at most every 400 ms.
		expect(published).toEqual([1000, 1400]);
		advance(400);
		// The bursts after 1,400 are published by 1,800: the last change is never left behind.
		expect(published).toEqual([1000, 1400, 1800]);
		advance(2000);
		expect(published).toHaveLength(3);
	});

	it("the user's own edit publishes at once and takes a waiting publication with it", () => {
		throttle.runSoon();
		advance(100);
		throttle.runSoon(); // waits until 1,400
		advance(50);
		throttle.runNow();
		expect(published).toEqual([1000, 1150]);
		advance(1000);
		expect(published).toEqual([1000, 1150]);
	});

	it('a closed workspace publishes nothing more', () => {
		throttle.runSoon();
		advance(10);
		throttle.runSoon();
		throttle.cancel();
		advance(1000);
		expect(published).toEqual([1000]);
	});
});
