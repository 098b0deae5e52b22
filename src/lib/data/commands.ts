/**
 * Commands of this device that are not state (SPEC §5): "send set-password e-mail" is not a
 * field of a Yjs document but a request the server carries out once. It may be made offline,
 * so it waits here until the device is online, and it may be sent more than once (an answer
 * lost on a flaky connection, two tabs flushing at once, a reload mid-request): each command
 * carries an idempotency key made on the device, and the server carries out a key only once.
 *
 * The queue lives in localStorage under a per-user key: it is small, survives reloads and
 * holds nothing secret (a contact id and a random key). Every operation reads and writes the
 * storage synchronously, so tabs of one device share one queue without a cache going stale.
 *
 * Outcomes: 2xx → done; 409 / 400 / 403 → final, a short record of the failure is kept for the
 * UI; network error, 5xx, 401 and 404 (the contact has not reached the server yet) → kept and
 * sent again with backoff, with the same key.
 */
import { newId } from '$lib/schema/ids';

export type CommandKind = 'set-password-email';
export const COMMAND_KINDS: readonly CommandKind[] = ['set-password-email'];

/** Why a command is still waiting after an attempt. */
export type RetryReason = 'network' | 'not_found' | 'server' | 'unauthorized';
/** Why a command was dropped without being carried out. */
export type FailReason =
	| 'no_email'
	| 'deleted'
	| 'duplicate_email'
	| 'do_not_email'
	| 'invalid_input'
	| 'refused'
	| 'expired';

export interface Command {
	/** The idempotency key: the server carries a key out once, however often it arrives. */
	id: string;
	kind: CommandKind;
	contactId: string;
	createdAt: number;
	/** Attempts that reached no final answer so far. */
	attempts: number;
	lastError?: RetryReason;
	/** Not sent again before this time (backoff), unless a flush is forced. */
	nextAttemptAt?: number;
}

/** What became of a command that left the queue: kept briefly for the UI. */
export interface CommandResult {
	id: string;
	kind: CommandKind;
	contactId: string;
	outcome: 'done' | 'failed';
	error?: FailReason;
	at: number;
}

export type Fetcher = (url: string, init: RequestInit) => Promise<Response>;

export interface FlushReport {
	done: CommandResult[];
	failed: CommandResult[];
	/** Commands still waiting after this flush tried them. */
	retry: Command[];
}

export interface QueueSnapshot {
	waiting: Command[];
	results: CommandResult[];
	/** Ids of the commands on their way to the server right now (this tab). */
	sending: ReadonlySet<string>;
}

type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

export interface CommandQueueOptions {
	now?: () => number;
	random?: () => number;
	/** Whether the device believes it is online; no attempt is made while it is not. */
	isOnline?: () => boolean;
	/** Where `online` and `storage` events come from (the window in the browser). */
	events?: EventTarget;
}

interface Stored {
	v: 1;
	commands: Command[];
	results: CommandResult[];
}

/** The scheduler looks at waiting commands at least this often. */
export const TICK_MS = 30_000;
/** The longest backoff between two attempts of one command. */
export const MAX_BACKOFF_MS = 5 * 60_000;
/**
 * A command whose contact the server still does not know after this long is given up: the
 * contact was never synced (deleted on the device, or its change was refused).
 */
export const NOT_FOUND_EXPIRY_MS = 7 * 86_400_000;
/**
 * Commands wait while the device has changes the server has not acknowledged, so that a
 * command does not overtake the change it depends on (a contact just created, an e-mail just
 * typed) — but not longer than this: a change the server refuses must not block them forever.
 */
export const GATE_MAX_WAIT_MS = 60_000;
const MAX_RESULTS = 20;
const RESULT_TTL_MS = 7 * 86_400_000;
const KEY_RE = /^[A-Za-z0-9_-]{8,64}$/;

/** Backoff before attempt `attempts + 1`: 2 s, 4 s, 8 s … up to 5 min, with jitter (½ to 1×). */
export function retryDelay(attempts: number, random: () => number = Math.random): number {
	const cap = Math.min(MAX_BACKOFF_MS, 2000 * 2 ** Math.max(0, attempts - 1));
	return Math.round(cap / 2 + random() * (cap / 2));
}

export function commandUrl(c: Pick<Command, 'kind' | 'contactId'>): string {
	switch (c.kind) {
		case 'set-password-email':
			return `/api/contacts/${encodeURIComponent(c.contactId)}/set-password-email`;
	}
}

type Outcome = { final: true; result: 'done' | FailReason } | { final: false; reason: RetryReason };

/** What an answer means for a command (see the file comment). */
export function classify(status: number, body: unknown): Outcome {
	const error = isRecord(body) && typeof body.error === 'string' ? body.error : null;
	// A 2xx without the endpoint's JSON (a login page after a redirect, a proxy) is no answer.
	if (status >= 200 && status < 300) {
		return isRecord(body) && body.ok === true ? { final: true, result: 'done' } : { final: false, reason: 'server' };
	}
	if (status === 409) {
		const known =
			error === 'no_email' || error === 'deleted' || error === 'duplicate_email' || error === 'do_not_email';
		return { final: true, result: known ? error : 'refused' };
	}
	if (status === 400) return { final: true, result: 'invalid_input' };
	if (status === 403) return { final: true, result: 'refused' };
	if (status === 404) return { final: false, reason: 'not_found' };
	// The session ended: the command waits until the user signs in again.
	if (status === 401) return { final: false, reason: 'unauthorized' };
	// 5xx, 408, 429, and what is no answer of the endpoint (an opaque redirect has status 0).
	if (status === 408 || status === 429 || status >= 500 || status < 400) {
		return { final: false, reason: 'server' };
	}
	return { final: true, result: 'refused' };
}

export class CommandQueue {
	readonly key: string;
	private readonly now: () => number;
	private readonly random: () => number;
	private readonly isOnline: () => boolean;
	private readonly events: EventTarget | null;
	private readonly listeners = new Set<() => void>();
	private readonly sending = new Set<string>();
	private running: Promise<FlushReport> | null = null;
	private again: { force: boolean } | null = null;
	private fetcher: Fetcher | null = null;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private ready: () => boolean = () => true;
	private gatedSince: number | null = null;

	constructor(
		private readonly storage: StorageLike,
		readonly userId: string,
		opts: CommandQueueOptions = {}
	) {
		if (!userId) throw new Error('CommandQueue needs a user id');
		this.key = CommandQueue.storageKey(userId);
		this.now = opts.now ?? Date.now;
		this.random = opts.random ?? Math.random;
		this.isOnline = opts.isOnline ?? (() => typeof navigator === 'undefined' || navigator.onLine);
		this.events = opts.events ?? (typeof window === 'undefined' ? null : window);
	}

	static storageKey(userId: string): string {
		return `fieldbook:commands:${userId}`;
	}

	/**
	 * Queues a command. A command of the same kind for the same contact that is still waiting
	 * is returned instead of a second one: two clicks never ask for two e-mails. Throws when
	 * the storage refuses the write (full): the caller tells the user nothing was queued.
	 */
	enqueue(kind: CommandKind, contactId: string): Command {
		const state = this.read();
		const existing = state.commands.find((c) => c.kind === kind && c.contactId === contactId);
		if (existing) return existing;
		const now = this.now();
		const command: Command = { id: newId(now), kind, contactId, createdAt: now, attempts: 0 };
		state.commands.push(command);
		this.write(state);
		this.emit();
		if (this.fetcher) void this.flush(this.fetcher);
		return command;
	}

	/** The waiting commands, oldest first. */
	waiting(): Command[] {
		return this.read().commands;
	}

	/** Recent outcomes, oldest first. */
	results(): CommandResult[] {
		return this.read().results;
	}

	snapshot(): QueueSnapshot {
		const { commands, results } = this.read();
		return { waiting: commands, results, sending: new Set(this.sending) };
	}

	/** Called after every change of the queue (also by another tab). Returns the unsubscriber. */
	subscribe(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/**
	 * Holds commands back while `ready` says no (the device has changes the server has not
	 * acknowledged), for at most GATE_MAX_WAIT_MS of trying.
	 */
	setReady(ready: () => boolean): void {
		this.ready = ready;
	}

	/**
	 * Sends the commands that are due (all of them when `force`), oldest first. One flush runs
	 * at a time; a flush asked for meanwhile runs again after it, and both callers get the
	 * combined report.
	 */
	flush(fetcher: Fetcher, opts: { force?: boolean } = {}): Promise<FlushReport> {
		const force = opts.force ?? false;
		if (this.running) {
			this.again = { force: force || (this.again?.force ?? false) };
			return this.running;
		}
		const run = async (): Promise<FlushReport> => {
			const report: FlushReport = { done: [], failed: [], retry: [] };
			let next: { force: boolean } | null = { force };
			while (next) {
				this.again = null;
				await this.flushOnce(fetcher, next.force, report);
				next = this.again;
			}
			return report;
		};
		this.running = run().finally(() => {
			this.running = null;
			this.schedule();
		});
		return this.running;
	}

	/**
	 * Flushes now and whenever it may help: on the `online` event (forced: the connection is
	 * back), on a timer while commands wait (at least every TICK_MS), after each enqueue.
	 */
	start(fetcher: Fetcher): void {
		if (this.fetcher) return;
		this.fetcher = fetcher;
		this.events?.addEventListener('online', this.onOnline);
		this.events?.addEventListener('storage', this.onStorage);
		void this.flush(fetcher);
	}

	stop(): void {
		this.fetcher = null;
		this.events?.removeEventListener('online', this.onOnline);
		this.events?.removeEventListener('storage', this.onStorage);
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}

	/** Flushes now if the queue runs by itself (the gate may just have opened). */
	poke(): void {
		if (this.fetcher && this.waiting().length > 0) void this.flush(this.fetcher);
	}

	private readonly onOnline = () => {
		if (this.fetcher) void this.flush(this.fetcher, { force: true });
	};

	private readonly onStorage = (e: Event) => {
		if ((e as StorageEvent).key === this.key) this.emit();
	};

	private schedule(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		const fetcher = this.fetcher;
		if (!fetcher) return;
		const waiting = this.waiting();
		if (waiting.length === 0) return;
		const now = this.now();
		const due = Math.min(...waiting.map((c) => c.nextAttemptAt ?? now));
		const delay = Math.min(TICK_MS, Math.max(1000, due - now));
		this.timer = setTimeout(() => {
			this.timer = null;
			void this.flush(fetcher);
		}, delay);
	}

	private async flushOnce(fetcher: Fetcher, force: boolean, report: FlushReport): Promise<void> {
		if (!this.isOnline()) return;
		const due = this.read().commands.filter((c) => force || (c.nextAttemptAt ?? 0) <= this.now());
		if (due.length === 0) return;
		if (!this.gateOpen()) return;
		for (const command of due) {
			// Another tab may have carried it out while this loop awaited an earlier one.
			if (!this.read().commands.some((c) => c.id === command.id)) continue;
			const outcome = await this.send(fetcher, command);
			const settled = this.settle(command, outcome);
			if (settled && 'outcome' in settled) (settled.outcome === 'done' ? report.done : report.failed).push(settled);
			else if (settled) report.retry.push(settled);
			// No connection after all: the others would fail the same way.
			if (!outcome.final && outcome.reason === 'network') break;
		}
	}

	private gateOpen(): boolean {
		let ready = true;
		try {
			ready = this.ready();
		} catch (e) {
			console.error('Fieldbook: the command gate failed', e);
		}
		if (ready) {
			this.gatedSince = null;
			return true;
		}
		const now = this.now();
		this.gatedSince ??= now;
		return now - this.gatedSince >= GATE_MAX_WAIT_MS;
	}

	private async send(fetcher: Fetcher, command: Command): Promise<Outcome> {
		this.sending.add(command.id);
		this.emit();
		try {
			const res = await fetcher(commandUrl(command), {
				method: 'POST',
				headers: { 'content-type': 'application/json', accept: 'application/json' },
				body: JSON.stringify({ idempotencyKey: command.id }),
				credentials: 'same-origin',
				redirect: 'manual'
			});
			const body: unknown = await res.json().catch(() => null);
			return classify(res.status, body);
		} catch {
			return { final: false, reason: 'network' };
		} finally {
			this.sending.delete(command.id);
		}
	}

	/** Writes an attempt's outcome; returns the result, the command as it now waits, or null. */
	private settle(command: Command, outcome: Outcome): CommandResult | Command | null {
		const now = this.now();
		const state = this.read();
		const i = state.commands.findIndex((c) => c.id === command.id);
		let settled: CommandResult | Command | null = null;
		if (outcome.final || (outcome.reason === 'not_found' && now - command.createdAt > NOT_FOUND_EXPIRY_MS)) {
			const result: CommandResult = {
				id: command.id,
				kind: command.kind,
				contactId: command.contactId,
				outcome: outcome.final && outcome.result === 'done' ? 'done' : 'failed',
				at: now
			};
			const error: FailReason = outcome.final ? (outcome.result as FailReason) : 'expired';
			if (result.outcome === 'failed') result.error = error;
			if (i >= 0) state.commands.splice(i, 1);
			// Another tab may have recorded the same command's outcome meanwhile.
			if (!state.results.some((r) => r.id === result.id)) state.results.push(result);
			settled = result;
		} else if (i >= 0) {
			const current = state.commands[i];
			const attempts = current.attempts + 1;
			settled = state.commands[i] = {
				...current,
				attempts,
				lastError: outcome.reason,
				nextAttemptAt: now + retryDelay(attempts, this.random)
			};
		}
		state.results = state.results.filter((r) => now - r.at < RESULT_TTL_MS).slice(-MAX_RESULTS);
		// The gate's wait is per batch of commands: a later command waits for its changes again.
		if (state.commands.length === 0) this.gatedSince = null;
		try {
			this.write(state);
		} catch (e) {
			// A command that could not be removed is sent again later: the server ignores its key.
			console.error('Fieldbook: writing the command queue failed', e);
		}
		this.emit();
		return settled;
	}

	private read(): Stored {
		let raw: string | null = null;
		try {
			raw = this.storage.getItem(this.key);
		} catch {
			// storage unavailable (privacy mode): an empty queue
		}
		if (!raw) return { v: 1, commands: [], results: [] };
		let parsed: unknown;
		try {
			parsed = JSON.parse(raw);
		} catch {
			return { v: 1, commands: [], results: [] };
		}
		const obj = isRecord(parsed) ? parsed : {};
		return {
			v: 1,
			commands: Array.isArray(obj.commands) ? obj.commands.filter(isCommand) : [],
			results: Array.isArray(obj.results) ? obj.results.filter(isResult) : []
		};
	}

	private write(state: Stored): void {
		this.storage.setItem(this.key, JSON.stringify(state));
	}

	private emit(): void {
		for (const listener of this.listeners) {
			try {
				listener();
			} catch (e) {
				console.error('Fieldbook: a command queue listener failed', e);
			}
		}
	}
}

function isRecord(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCommand(v: unknown): v is Command {
	return (
		isRecord(v) &&
		typeof v.id === 'string' &&
		KEY_RE.test(v.id) &&
		COMMAND_KINDS.includes(v.kind as CommandKind) &&
		typeof v.contactId === 'string' &&
		v.contactId !== '' &&
		typeof v.createdAt === 'number' &&
		typeof v.attempts === 'number' &&
		(v.nextAttemptAt === undefined || typeof v.nextAttemptAt === 'number')
	);
}

function isResult(v: unknown): v is CommandResult {
	return (
		isRecord(v) &&
		typeof v.id === 'string' &&
		COMMAND_KINDS.includes(v.kind as CommandKind) &&
		typeof v.contactId === 'string' &&
		(v.outcome === 'done' || v.outcome === 'failed') &&
		typeof v.at === 'number'
	);
}

/** One running queue per signed-in user of this tab; created on first use, in the browser only. */
let queues: Map<string, CommandQueue> | undefined;

/**
 * The user's command queue, started (flushes at once when online, on `online`, on a timer).
 * Browser only: the queue needs localStorage and fetch, and module state must not be shared
 * between users during server rendering.
 */
export function commandQueue(userId: string): CommandQueue {
	if (typeof window === 'undefined') throw new Error('The command queue exists in the browser only');
	queues ??= new Map();
	let queue = queues.get(userId);
	if (!queue) {
		queue = new CommandQueue(window.localStorage, userId);
		queue.start((url, init) => fetch(url, init));
		queues.set(userId, queue);
	}
	return queue;
}

/** Stops every running queue (sign-out); the commands stay stored for the user's next session. */
export function stopCommandQueues(): void {
	for (const queue of queues?.values() ?? []) queue.stop();
	queues?.clear();
}
