import { afterEach, describe, expect, it, vi } from 'vitest';
import { ByteBudget, Inbox } from './throttle.ts';

afterEach(() => vi.useRealTimers());

describe('ByteBudget: sync bytes per user per second', () => {
	it('lets a burst through at once, then makes each user wait for their own budget only', () => {
		let t = 0;
		const b = new ByteBudget({ bytesPerSecond: 1000, burstBytes: 3000, maxWaitMs: 10_000, now: () => t });
		expect(b.charge('eve', 3000)).toBe(0);
		expect(b.charge('eve', 500)).toBe(500); // 500 B over at 1,000 B/s
		expect(b.charge('ana', 3000)).toBe(0); // another user has a budget of their own
		t += 1500;
		expect(b.charge('eve', 1000)).toBe(0); // refilled 1,500 B, 500 owed
	});
});

describe('Inbox: messages over the budget are held, in order, and a flood is closed', () => {
	it('handles at once within budget; holds and pauses over it; resumes once drained', () => {
		vi.useFakeTimers();
		const budget = new ByteBudget({ bytesPerSecond: 1000, burstBytes: 1000, maxWaitMs: 10_000, now: () => Date.now() });
		const handled: number[] = [];
		const socket = { paused: false, pause: () => (socket.paused = true), resume: () => (socket.paused = false) };
		let closed = false;
		const inbox = new Inbox(
			budget,
			'eve',
			socket,
			(d) => handled.push(d.length),
			() => (closed = true)
		);
		inbox.receive(new Uint8Array(600));
		inbox.receive(new Uint8Array(600)); // 200 B over: waits 200 ms
		inbox.receive(new Uint8Array(10)); // behind it, in order
		expect(handled).toEqual([600]);
		expect(socket.paused).toBe(true);
		vi.advanceTimersByTime(250);
		expect(handled).toEqual([600, 600, 10]);
		expect(socket.paused).toBe(false);
		expect(closed).toBe(false);
	});

	it('closes a socket whose messages would wait longer than maxWaitMs (4429), dropping what it held', () => {
		vi.useFakeTimers();
		const budget = new ByteBudget({ bytesPerSecond: 1000, burstBytes: 1000, maxWaitMs: 5000, now: () => Date.now() });
		const handled: number[] = [];
		let closed = 0;
		const inbox = new Inbox(
			budget,
			'eve',
			{},
			(d) => handled.push(d.length),
			() => closed++
		);
		for (let i = 0; i < 10; i++) inbox.receive(new Uint8Array(1000));
		expect(closed).toBe(1);
		vi.advanceTimersByTime(60_000);
		expect(handled.length).toBeLessThan(10);
		const after = handled.length;
		inbox.receive(new Uint8Array(1));
		expect(handled.length).toBe(after); // nothing more from a closed inbox
	});
});
