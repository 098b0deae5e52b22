import { afterEach, describe, expect, it, vi } from 'vitest';
import { CloseCode } from '../../src/lib/schema/protocol.ts';
import type { Connection } from './connection.ts';
import { SessionGuard } from './session-guard.ts';

afterEach(() => vi.useRealTimers());

function conn(sessionId: string | null) {
	const c = { sessionId, closed: null as number | null, close: (code: number) => (c.closed = code) };
	return c as unknown as Connection & { closed: number | null };
}

describe('SessionGuard: a socket lives no longer than its session', () => {
	it('closes every socket of a session that ended, with 4401, and no other', () => {
		const guard = new SessionGuard({ expiresAt: () => Date.now() + 3600_000 });
		const a1 = conn('a');
		const a2 = conn('a');
		const b = conn('b');
		for (const c of [a1, a2, b]) guard.add(c);
		guard.ended('a');
		expect([a1.closed, a2.closed, b.closed]).toEqual([CloseCode.unauthorized, CloseCode.unauthorized, null]);
		guard.close();
	});

	it('closes at expiry, and waits again when the session was extended meanwhile', () => {
		vi.useFakeTimers();
		let expires = Date.now() + 1000;
		const guard = new SessionGuard({ expiresAt: () => (expires > Date.now() ? expires : null) });
		const c = conn('s');
		guard.add(c);
		expires += 5000; // used over HTTP: sliding expiry moved it
		vi.advanceTimersByTime(1000);
		expect(c.closed).toBeNull();
		vi.advanceTimersByTime(5000);
		expect(c.closed).toBe(CloseCode.unauthorized);
	});

	it('a socket opened on a session that already ended is closed at once', () => {
		const guard = new SessionGuard({ expiresAt: () => null });
		const c = conn('gone');
		guard.add(c);
		expect(c.closed).toBe(CloseCode.unauthorized);
	});
});
