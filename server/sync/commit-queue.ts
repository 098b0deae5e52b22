/**
 * Group commit. Updates integrated during one turn of the event loop are appended to the
 * store in one SQLite transaction; only then are they broadcast and acknowledged (a client
 * counts a change as synced only once the server has committed it). What is derived from the
 * log and may lag it (derived.ts) is handed over once the batch is committed, and written when
 * a commit leaves nothing pending (`settled`). One transaction per
 * batch instead of per update is what keeps acknowledging after commit fast (see the SQLite
 * figures in shared/STACK.md: ~2.7k/s one-by-one vs ~30k/s batched with synchronous=FULL).
 */
import type { FieldChange } from '../../src/lib/schema/history.ts';
import type { AppendedUpdate, DocStore } from './doc-store.ts';

export interface QueuedUpdate extends AppendedUpdate {
	/** What the update changed, field by field (for the history), when known. */
	changes?: FieldChange[];
	/** Runs after the commit with the update's global sequence number. */
	committed(seq: number): void;
	/** Runs when the batch could not be stored (nothing in it was committed). */
	failed(error: unknown): void;
}

export interface CommitHooks {
	/** Runs inside the commit transaction with the batch and its seqs. */
	within?(batch: QueuedUpdate[], seqs: number[]): void;
	/** Runs once the batch is committed, before anything of it is relayed or acknowledged. */
	committed?(batch: QueuedUpdate[], seqs: number[]): void;
	/** Runs at the end of a flush that left nothing pending: loaded documents are as stored. */
	settled?(): void;
}

export class CommitQueue {
	private pending: QueuedUpdate[] = [];
	private after: (() => void)[] = [];
	private scheduled = false;
	private closed = false;
	/** Updates committed since start (for benchmarks and tests). */
	committedCount = 0;
	batches = 0;

	constructor(
		private readonly store: DocStore,
		private readonly hooks: CommitHooks = {}
	) {}

	enqueue(update: QueuedUpdate): void {
		if (this.closed) return update.failed(new Error('server shutting down'));
		this.pending.push(update);
		this.schedule();
	}

	/** Runs `fn` once everything enqueued so far is committed (at once when nothing is pending). */
	afterCommit(fn: () => void): void {
		if (this.closed) return;
		this.after.push(fn);
		this.schedule();
	}

	/** Updates applied to their documents and not committed yet. */
	get waiting(): number {
		return this.pending.length;
	}

	get idle(): boolean {
		return this.pending.length === 0 && this.after.length === 0;
	}

	/** Commits what is pending and takes nothing more (shutdown: the database closes next). */
	close(): void {
		this.flush();
		this.closed = true;
	}

	private schedule(): void {
		if (this.scheduled) return;
		this.scheduled = true;
		setImmediate(() => this.flush());
	}

	/** Commits now. Called by the event loop, and before a document is loaded from the store. */
	flush(): void {
		this.scheduled = false;
		if (this.closed) return;
		const batch = this.pending;
		const after = this.after;
		this.pending = [];
		this.after = [];
		if (batch.length > 0) {
			let seqs: number[];
			try {
				seqs = this.store.append(batch, (s) => this.hooks.within?.(batch, s));
			} catch (e) {
				for (const u of batch) u.failed(e);
				for (const fn of after) fn();
				return;
			}
			this.committedCount += batch.length;
			this.batches++;
			this.hooks.committed?.(batch, seqs);
			batch.forEach((u, i) => u.committed(seqs[i]));
		}
		for (const fn of after) fn();
		if (this.pending.length === 0) this.hooks.settled?.();
	}
}
