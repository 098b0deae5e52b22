import { afterEach, describe, expect, it, vi } from 'vitest';
import {
	CommandQueue,
	GATE_MAX_WAIT_MS,
	MAX_BACKOFF_MS,
	NOT_FOUND_EXPIRY_MS,
	TICK_MS,
	classify,
	retryDelay,
	type Fetcher
} from './commands';

/** localStorage as a Map. */
class FakeStorage implements Pick<Storage, 'getItem' | 'setItem'> {
	readonly data = new Map<string, string>();
	full = false;
	getItem(key: string): string | null {
		return this.data.get(key) ?? null;
	}
	setItem(key: string, value: string): void {
		if (this.full) throw new DOMException('quota', 'QuotaExceededError');
		this.data.set(key, value);
	}
}

type Answer = number | 'network' | 'lost' | { status: number; body: unknown };

/**
 * A server that carries each idempotency key out once (as the real endpoint does) and answers
 * as scripted, one answer per request (the last answer repeats). 'lost': the server does the
 * work but the answer never arrives.
 */
function fakeServer(...answers: Answer[]) {
	const requests: { url: string; init: RequestInit; key: string }[] = [];
	const emailsSent = new Set<string>();
	let i = 0;
	const fetcher: Fetcher = async (url, init) => {
		const key = (JSON.parse(String(init.body)) as { idempotencyKey: string }).idempotencyKey;
		requests.push({ url, init, key });
		const answer = answers[Math.min(i++, answers.length - 1)];
		if (answer === 'network') throw new TypeError('Failed to fetch');
		if (answer === 'lost') {
			emailsSent.add(key);
			throw new TypeError('Failed to fetch');
		}
		const { status, body } =
			typeof answer === 'number'
				? { status: answer, body: answer === 202 ? { ok: true, queued: true } : { error: 'x' } }
				: answer;
		if (status === 202) emailsSent.add(key);
		return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
	};
	return { fetcher, requests, emailsSent };
}

function setup(opts: { online?: boolean; storage?: FakeStorage; user?: string } = {}) {
	const storage = opts.storage ?? new FakeStorage();
	const clock = { now: 1_700_000_000_000 };
	const state = { online: opts.online ?? true };
	const events = new EventTarget();
	const make = () =>
		new CommandQueue(storage, opts.user ?? 'user-1', {
			now: () => clock.now,
			random: () => 1,
			isOnline: () => state.online,
			events
		});
	return { storage, clock, state, events, make, queue: make() };
}

const CONTACT = '0190a0b0-0000-7000-8000-000000000001';

afterEach(() => {
	vi.useRealTimers();
	vi.restoreAllMocks();
});

describe('CommandQueue', () => {
	it('queues a command with an idempotency key the server accepts, in per-user storage', () => {
		const { queue, storage } = setup();
		const c = queue.enqueue('set-password-email', CONTACT);
		expect(c).toMatchObject({ kind: 'set-password-email', contactId: CONTACT, attempts: 0 });
		expect(c.id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
		expect([...storage.data.keys()]).toEqual(['fieldbook:commands:user-1']);
		expect(queue.waiting()).toEqual([c]);
	});

	it('keeps commands across a reload (a new queue over the same storage)', () => {
		const { queue, make } = setup();
		const c = queue.enqueue('set-password-email', CONTACT);
		const reloaded = make();
		expect(reloaded.waiting()).toEqual([c]);
	});

	it("keeps each user's commands apart", () => {
		const storage = new FakeStorage();
		setup({ storage, user: 'ada' }).queue.enqueue('set-password-email', CONTACT);
		expect(setup({ storage, user: 'bea' }).queue.waiting()).toEqual([]);
	});

	it('returns the waiting command instead of a second one for the same contact', () => {
		const { queue } = setup();
		const a = queue.enqueue('set-password-email', CONTACT);
		const b = queue.enqueue('set-password-email', CONTACT);
		expect(b.id).toBe(a.id);
		expect(queue.waiting()).toHaveLength(1);
	});

	it('sends a command as a JSON POST with its key and removes it on 202', async () => {
		const { queue } = setup();
		const server = fakeServer(202);
		const c = queue.enqueue('set-password-email', CONTACT);
		const report = await queue.flush(server.fetcher);
		expect(server.requests).toHaveLength(1);
		const [req] = server.requests;
		expect(req.url).toBe(`/api/contacts/${CONTACT}/set-password-email`);
		expect(req.init.method).toBe('POST');
		expect(new Headers(req.init.headers).get('content-type')).toBe('application/json');
		expect(req.key).toBe(c.id);
		expect(report.done).toMatchObject([{ id: c.id, outcome: 'done', contactId: CONTACT }]);
		expect(queue.waiting()).toEqual([]);
		expect(queue.results()).toMatchObject([{ id: c.id, outcome: 'done' }]);
	});

	it('reuses the same key after a lost answer, so the server sends one e-mail', async () => {
		const { queue, make, clock } = setup();
		const server = fakeServer('lost', 202);
		const c = queue.enqueue('set-password-email', CONTACT);
		const first = await queue.flush(server.fetcher);
		expect(first.retry).toMatchObject([{ id: c.id, attempts: 1, lastError: 'network' }]);
		// The tab is reloaded before the retry.
		const reloaded = make();
		clock.now += MAX_BACKOFF_MS;
		await reloaded.flush(server.fetcher);
		expect(server.requests.map((r) => r.key)).toEqual([c.id, c.id]);
		expect(server.emailsSent.size).toBe(1);
		expect(reloaded.waiting()).toEqual([]);
		expect(reloaded.results()).toMatchObject([{ id: c.id, outcome: 'done' }]);
	});

	it.each([
		[{ status: 409, body: { error: 'no_email' } }, 'no_email'],
		[{ status: 409, body: { error: 'deleted' } }, 'deleted'],
		[{ status: 409, body: { error: 'duplicate_email' } }, 'duplicate_email'],
		[{ status: 400, body: { error: 'invalid_input' } }, 'invalid_input'],
		[{ status: 403, body: { error: 'forbidden' } }, 'refused']
	] as const)('drops a command on a final answer (%o) and records why', async (answer, error) => {
		const { queue } = setup();
		const server = fakeServer(answer);
		const c = queue.enqueue('set-password-email', CONTACT);
		const report = await queue.flush(server.fetcher);
		expect(report.failed).toMatchObject([{ id: c.id, outcome: 'failed', error }]);
		expect(queue.waiting()).toEqual([]);
		expect(queue.results()).toMatchObject([{ id: c.id, contactId: CONTACT, outcome: 'failed', error }]);
	});

	it.each([
		[404, 'not_found'],
		[500, 'server'],
		[503, 'server'],
		[401, 'unauthorized'],
		['network', 'network']
	] as const)('keeps a command on %s and tries it again with the same key after a backoff', async (answer, reason) => {
		const { queue, clock } = setup();
		const server = fakeServer(answer, 202);
		const c = queue.enqueue('set-password-email', CONTACT);
		const report = await queue.flush(server.fetcher);
		expect(report.retry).toMatchObject([{ id: c.id, attempts: 1, lastError: reason }]);
		expect(queue.waiting()).toMatchObject([{ id: c.id, attempts: 1, lastError: reason }]);

		// Not before the backoff has passed…
		await queue.flush(server.fetcher);
		expect(server.requests).toHaveLength(1);
		// …then with the same key.
		clock.now += retryDelay(1, () => 1);
		await queue.flush(server.fetcher);
		expect(server.requests.map((r) => r.key)).toEqual([c.id, c.id]);
		expect(queue.waiting()).toEqual([]);
	});

	it('a forced flush (the connection is back) ignores the backoff', async () => {
		const { queue } = setup();
		const server = fakeServer('network', 202);
		queue.enqueue('set-password-email', CONTACT);
		await queue.flush(server.fetcher);
		await queue.flush(server.fetcher, { force: true });
		expect(server.requests).toHaveLength(2);
		expect(queue.waiting()).toEqual([]);
	});

	it('backs off exponentially up to a cap', () => {
		expect(retryDelay(1, () => 1)).toBe(2000);
		expect(retryDelay(2, () => 1)).toBe(4000);
		expect(retryDelay(3, () => 0)).toBe(4000);
		expect(retryDelay(50, () => 1)).toBe(MAX_BACKOFF_MS);
	});

	it('treats a 2xx that is not the endpoint’s answer as no answer', () => {
		expect(classify(200, null)).toEqual({ final: false, reason: 'server' });
		expect(classify(202, { ok: true, queued: false })).toEqual({ final: true, result: 'done' });
		expect(classify(0, null)).toEqual({ final: false, reason: 'server' });
		expect(classify(302, null)).toEqual({ final: false, reason: 'server' });
		expect(classify(418, null)).toEqual({ final: true, result: 'refused' });
	});

	it('gives up a command whose contact never reaches the server', async () => {
		const { queue, clock } = setup();
		const server = fakeServer(404);
		const c = queue.enqueue('set-password-email', CONTACT);
		clock.now += NOT_FOUND_EXPIRY_MS + 1;
		const report = await queue.flush(server.fetcher);
		expect(report.failed).toMatchObject([{ id: c.id, error: 'expired' }]);
		expect(queue.waiting()).toEqual([]);
	});

	it('sends nothing while offline', async () => {
		const { queue, state } = setup({ online: false });
		const server = fakeServer(202);
		queue.enqueue('set-password-email', CONTACT);
		await queue.flush(server.fetcher, { force: true });
		expect(server.requests).toHaveLength(0);
		expect(queue.waiting()).toHaveLength(1);
		expect(queue.waiting()[0].attempts).toBe(0);
		state.online = true;
		await queue.flush(server.fetcher);
		expect(server.requests).toHaveLength(1);
	});

	it('stops at the first network error: the other commands would fail the same way', async () => {
		const { queue } = setup();
		const server = fakeServer('network');
		queue.enqueue('set-password-email', CONTACT);
		queue.enqueue('set-password-email', CONTACT.replace(/1$/, '2'));
		await queue.flush(server.fetcher);
		expect(server.requests).toHaveLength(1);
	});

	it('runs one flush at a time: a flush asked for meanwhile joins it, nothing is sent twice', async () => {
		const { queue } = setup();
		let release!: () => void;
		const gate = new Promise<void>((r) => (release = r));
		const server = fakeServer(202);
		const slow: Fetcher = async (url, init) => {
			await gate;
			return server.fetcher(url, init);
		};
		queue.enqueue('set-password-email', CONTACT);
		const a = queue.flush(slow);
		const b = queue.flush(slow);
		release();
		await Promise.all([a, b]);
		expect(server.requests).toHaveLength(1);
	});

	it('does not send a command another tab has already carried out', async () => {
		const { queue, make } = setup();
		const other = make();
		const server = fakeServer(202);
		queue.enqueue('set-password-email', CONTACT);
		queue.enqueue('set-password-email', CONTACT.replace(/1$/, '2'));
		let first = true;
		const fetcher: Fetcher = async (url, init) => {
			if (first) {
				first = false;
				// While this request is out, the other tab sends the second command.
				await other.flush(server.fetcher);
			}
			return server.fetcher(url, init);
		};
		await queue.flush(fetcher);
		// The first command twice (once from each tab, one key), the second only by the other tab.
		expect(server.requests).toHaveLength(3);
		expect(new Set(server.requests.map((r) => r.key)).size).toBe(2);
		expect(server.emailsSent.size).toBe(2);
		expect(queue.waiting()).toEqual([]);
		expect(queue.results()).toHaveLength(2);
	});

	it('holds commands back while the device has unsynced changes, at most for a while', async () => {
		const { queue, clock } = setup();
		const server = fakeServer(202);
		let synced = false;
		queue.setReady(() => synced);
		queue.enqueue('set-password-email', CONTACT);
		await queue.flush(server.fetcher);
		expect(server.requests).toHaveLength(0);
		synced = true;
		await queue.flush(server.fetcher);
		expect(server.requests).toHaveLength(1);

		// A change the server never takes does not block commands forever.
		synced = false;
		queue.enqueue('set-password-email', CONTACT);
		await queue.flush(server.fetcher);
		expect(server.requests).toHaveLength(1);
		clock.now += GATE_MAX_WAIT_MS;
		await queue.flush(server.fetcher);
		expect(server.requests).toHaveLength(2);
	});

	it('a later command waits for its own changes again, whatever an earlier one waited', async () => {
		const { queue, clock } = setup();
		const server = fakeServer(202);
		queue.setReady(() => false);
		queue.enqueue('set-password-email', CONTACT);
		await queue.flush(server.fetcher);
		clock.now += GATE_MAX_WAIT_MS;
		await queue.flush(server.fetcher);
		expect(server.requests).toHaveLength(1);

		clock.now += 10 * GATE_MAX_WAIT_MS;
		queue.enqueue('set-password-email', CONTACT);
		await queue.flush(server.fetcher);
		expect(server.requests).toHaveLength(1);
		clock.now += GATE_MAX_WAIT_MS;
		await queue.flush(server.fetcher);
		expect(server.requests).toHaveLength(2);
	});

	it('a flush with nothing waiting does not start the wait', async () => {
		const { queue, clock } = setup();
		const server = fakeServer(202);
		queue.setReady(() => false);
		await queue.flush(server.fetcher, { force: true }); // e.g. the online event
		clock.now += 10 * GATE_MAX_WAIT_MS;
		queue.enqueue('set-password-email', CONTACT);
		await queue.flush(server.fetcher);
		expect(server.requests).toHaveLength(0);
	});

	it('survives unreadable storage and reports a full one at enqueue', () => {
		const { queue, storage } = setup();
		storage.data.set(queue.key, '{not json');
		expect(queue.waiting()).toEqual([]);
		storage.data.set(queue.key, JSON.stringify({ commands: [{ id: 'x' }, 42], results: 'no' }));
		expect(queue.waiting()).toEqual([]);
		storage.full = true;
		expect(() => queue.enqueue('set-password-email', CONTACT)).toThrow();
	});

	it('tells subscribers about every change, including another tab’s', async () => {
		const { queue, events } = setup();
		const listener = vi.fn();
		const unsubscribe = queue.subscribe(listener);
		queue.enqueue('set-password-email', CONTACT);
		expect(listener).toHaveBeenCalledTimes(1);
		await queue.flush(fakeServer(202).fetcher);
		expect(listener.mock.calls.length).toBeGreaterThan(1);

		queue.start(fakeServer(202).fetcher);
		listener.mockClear();
		const storageEvent = Object.assign(new Event('storage'), { key: queue.key });
		events.dispatchEvent(storageEvent);
		expect(listener).toHaveBeenCalledTimes(1);
		queue.stop();
		unsubscribe();
	});

	it('when started: flushes at once, on the online event, and on a timer while commands wait', async () => {
		vi.useFakeTimers();
		const { queue, state, events } = setup({ online: false });
		const server = fakeServer('network', 202);
		queue.enqueue('set-password-email', CONTACT);
		queue.start(server.fetcher);
		await vi.advanceTimersByTimeAsync(0);
		expect(server.requests).toHaveLength(0); // offline

		// The connection returns: flushed at once; the answer is lost on the way.
		state.online = true;
		events.dispatchEvent(new Event('online'));
		await vi.advanceTimersByTimeAsync(0);
		expect(server.requests).toHaveLength(1);
		expect(queue.waiting()).toHaveLength(1);

		// A tick before the command's backoff is over (the queue's clock stands still) sends nothing.
		await vi.advanceTimersByTimeAsync(TICK_MS);
		expect(server.requests).toHaveLength(1);
		queue.stop();
	});

	it('the timer sends a waiting command again once its backoff is over', async () => {
		vi.useFakeTimers();
		const storage = new FakeStorage();
		const queue = new CommandQueue(storage, 'user-1', {
			now: () => Date.now(),
			random: () => 1,
			isOnline: () => true,
			events: new EventTarget()
		});
		const server = fakeServer(503, 202);
		queue.enqueue('set-password-email', CONTACT);
		queue.start(server.fetcher);
		await vi.advanceTimersByTimeAsync(0);
		expect(server.requests).toHaveLength(1);
		await vi.advanceTimersByTimeAsync(retryDelay(1, () => 1));
		expect(server.requests).toHaveLength(2);
		expect(queue.waiting()).toEqual([]);
		// Nothing waits: no more timers.
		await vi.advanceTimersByTimeAsync(TICK_MS * 3);
		expect(server.requests).toHaveLength(2);
		queue.stop();
	});

	it('enqueue on a started queue sends at once', async () => {
		vi.useFakeTimers();
		const { queue } = setup();
		const server = fakeServer(202);
		queue.start(server.fetcher);
		queue.enqueue('set-password-email', CONTACT);
		await vi.advanceTimersByTimeAsync(0);
		expect(server.requests).toHaveLength(1);
		expect(queue.results()).toMatchObject([{ outcome: 'done' }]);
		queue.stop();
	});
});
