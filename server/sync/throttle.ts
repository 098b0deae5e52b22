/**
 * A budget of sync bytes per user per second (issue #9, SPEC §8): one staff account sending
 * large frames as fast as it can must not take the event loop from everyone else. Each
 * user has a token bucket (`bytesPerSecond`, bursts up to `burstBytes`); a message that
 * overdraws it is not refused but held, and its socket paused (TCP pushes back on the
 * sender), until the budget has refilled — honest clients never notice, a flood is slowed
 * to the budget. A user whose sockets would wait more than `maxWaitMs` is over budget for
 * good: that socket is closed with 4429.
 */
export interface BudgetOptions {
	bytesPerSecond: number;
	burstBytes: number;
	/** Longest a message may wait for budget before its socket is closed (4429). */
	maxWaitMs: number;
	now?: () => number;
}

interface Bucket {
	tokens: number;
	at: number;
}

export class ByteBudget {
	private readonly buckets = new Map<string, Bucket>();
	private readonly now: () => number;

	constructor(readonly opts: BudgetOptions) {
		this.now = opts.now ?? Date.now;
	}

	/** Charges `bytes` to `user`; returns how long (ms) the message must wait, 0 for now. */
	charge(user: string, bytes: number): number {
		const now = this.now();
		const b = this.buckets.get(user) ?? { tokens: this.opts.burstBytes, at: now };
		b.tokens = Math.min(this.opts.burstBytes, b.tokens + ((now - b.at) * this.opts.bytesPerSecond) / 1000);
		b.at = now;
		b.tokens -= bytes;
		this.buckets.set(user, b);
		if (this.buckets.size > 10_000) this.sweep(now);
		return b.tokens >= 0 ? 0 : Math.ceil((-b.tokens * 1000) / this.opts.bytesPerSecond);
	}

	/** Buckets that are full again hold nothing worth remembering. */
	private sweep(now: number): void {
		for (const [user, b] of this.buckets) {
			if (b.tokens + ((now - b.at) * this.opts.bytesPerSecond) / 1000 >= this.opts.burstBytes)
				this.buckets.delete(user);
		}
	}
}

/** What the inbox needs of a ws socket (pause/resume stop and restart reading). */
export interface Pausable {
	pause?(): void;
	resume?(): void;
}

/**
 * The messages of one socket, handled in order, each once the user's budget allows.
 * `handle` runs a message; `overBudget` closes the socket.
 */
export class Inbox {
	private readonly queue: { data: Uint8Array; due: number }[] = [];
	private timer: NodeJS.Timeout | null = null;
	private closed = false;

	constructor(
		private readonly budget: ByteBudget,
		private readonly user: string,
		private readonly socket: Pausable,
		private readonly handle: (data: Uint8Array) => void,
		private readonly overBudget: () => void
	) {}

	receive(data: Uint8Array): void {
		if (this.closed) return;
		const wait = this.budget.charge(this.user, data.length);
		if (wait > this.budget.opts.maxWaitMs) {
			this.close();
			return this.overBudget();
		}
		if (wait === 0 && this.queue.length === 0) return this.handle(data);
		this.queue.push({ data, due: Date.now() + wait });
		this.socket.pause?.();
		this.schedule();
	}

	private schedule(): void {
		if (this.timer || this.queue.length === 0) return;
		this.timer = setTimeout(() => this.drain(), Math.max(0, this.queue[0].due - Date.now()));
		this.timer.unref();
	}

	private drain(): void {
		this.timer = null;
		while (!this.closed && this.queue.length > 0 && this.queue[0].due <= Date.now()) {
			this.handle(this.queue.shift()!.data);
		}
		if (this.closed) return;
		if (this.queue.length === 0) this.socket.resume?.();
		else this.schedule();
	}

	close(): void {
		this.closed = true;
		this.queue.length = 0;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}
}
