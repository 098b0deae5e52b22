/**
 * What the server derives from the update log and may write a little after it (issue #15):
 * history rows and the SQL projection (customers, contacts, custom values, module records) with
 * the mails it decides. The commit of a batch writes the update log, the e-mail claims and the
 * access index (commit-effects.ts), and is acknowledged and relayed; its derived rows follow
 * in a transaction of their own, with the newest log seq they cover (derived-watermark.ts). A
 * kill -9 in between loses nothing: at start, derived-recovery.ts derives again what the log
 * holds past that seq, and the mails are decided there, once (they are in that transaction).
 *
 * Derived work waits up to `lagMs` after the first commit it covers, so that several batches
 * of one busy document are projected once. It runs only where the loaded documents are exactly
 * what the store holds: right after a commit that left nothing pending, once the commit's
 * acknowledgements and relays are written (`defer`), or after committing what is pending
 * (`catchUp`). Readers of the derived tables (HTTP requests, a server change
 * someone awaits) catch up first, so nobody sees a projection behind an acknowledged edit.
 * A document whose e-mail addresses the batch changed is projected inside the commit instead:
 * the e-mail claims, kept there, read its projected contacts (commit/projection-step.ts).
 */
import type * as Y from 'yjs';
import { HISTORY_MANAGERS, type FieldChange } from '../../src/lib/schema/history.ts';
import type { HistoryLog } from '../history.ts';
import { touchedBy, type Touched } from '../projection.ts';
import type { Project } from './commit/projection-step.ts';
import type { QueuedUpdate } from './commit-queue.ts';
import type { DerivedWatermark } from './derived-watermark.ts';

/** What one document's projection still lacks. */
export interface PendingDoc {
	/** Field changes since it was last projected (null: unknown, so every part). */
	changes: FieldChange[] | null;
	/** The author of the newest update (null: the server). */
	author: string | null;
	/** The author of the newest update that changed the managers (the manager mails leave them out). */
	managersBy?: string | null;
}

interface PendingHistory {
	doc: string;
	userId: string | null;
	at: number;
	changes: FieldChange[];
	seq: number;
}

export interface DerivedOptions {
	watermark: DerivedWatermark;
	history?: HistoryLog;
	project: Project;
	/** Runs `fn` in one SQLite transaction. */
	transaction: (fn: () => void) => void;
	/** A document as committed: its loaded room's, else loaded from the store (`temporary`: destroyed after). */
	doc: (name: string) => { doc: Y.Doc; temporary: boolean };
	/** Commits whatever is pending (the commit queue, until nothing is). */
	flush: () => void;
	/** How long derived work may wait after the first commit it covers (0: right after each commit). */
	lagMs: number;
	/**
	 * Runs derived work that is due after the commit's messages are written (the server: at the
	 * next tick, once the sockets corked for the commit are uncorked, connection.ts). Default: at once.
	 */
	defer?: (fn: () => void) => void;
	/** Whether the loaded documents are exactly as stored (nothing applied waits for a commit). Default: true. */
	exact?: () => boolean;
	now?: () => number;
}

/** Adds one committed update to what a document's projection lacks. */
export function mergeUpdate(p: PendingDoc | undefined, u: Pick<QueuedUpdate, 'userId' | 'changes'>): PendingDoc {
	const next: PendingDoc = p ?? { changes: [], author: null };
	if (!u.changes) next.changes = null;
	else if (next.changes) next.changes.push(...u.changes);
	next.author = u.userId;
	if (u.changes?.some((c) => c.field === HISTORY_MANAGERS)) next.managersBy = u.userId;
	return next;
}

/** What to project for a pending document: the parts touched, and who is named as their author. */
export function projectionOf(p: PendingDoc): { touched: Touched; by: string | null } {
	return { touched: touchedBy(p.changes), by: p.managersBy !== undefined ? p.managersBy : p.author };
}

export class Derived {
	private history: PendingHistory[] = [];
	private docs = new Map<string, PendingDoc>();
	/** The newest committed seq handed over (derived once the pending work is written). */
	private upto = 0;
	/** When the oldest pending work was committed (0: nothing pending). */
	private since = 0;
	private urgent = false;
	private running = false;
	private timer: NodeJS.Timeout | null = null;
	private waiting: (() => void)[] = [];
	private deferred = false;
	private readonly now: () => number;
	/** Derived transactions written (benchmarks and tests). */
	runs = 0;

	constructor(private readonly opts: DerivedOptions) {
		this.now = opts.now ?? Date.now;
	}

	get pending(): boolean {
		return this.since !== 0;
	}

	/** What a document's projection lacks so far (commit/projection-step.ts projects it in the commit). */
	pendingDoc(name: string): PendingDoc | undefined {
		return this.docs.get(name);
	}

	/**
	 * A batch was committed (after its transaction): its updates' history and its documents'
	 * projection are now owed. `projected`: documents the commit itself projected.
	 */
	add(updates: readonly QueuedUpdate[], seqs: readonly number[], at: number, projected: ReadonlySet<string>): void {
		if (updates.length === 0) return;
		updates.forEach((u, i) => {
			if (u.changes && u.changes.length > 0)
				this.history.push({ doc: u.doc, userId: u.userId, at, changes: u.changes, seq: seqs[i] });
			if (!projected.has(u.doc)) this.docs.set(u.doc, mergeUpdate(this.docs.get(u.doc), u));
			this.upto = Math.max(this.upto, seqs[i]);
		});
		for (const name of projected) this.docs.delete(name);
		if (this.since === 0) this.since = this.now();
	}

	/** Someone waits for the derived tables (a server change awaited): the next settled commit derives at once. */
	hurry(): void {
		this.urgent = true;
	}

	/** The commit queue committed a batch and nothing is pending: loaded documents are as stored. */
	settled(): void {
		if (!this.pending) return this.release();
		const waited = this.now() - this.since;
		if (this.urgent || this.opts.lagMs <= 0 || waited >= this.opts.lagMs) return this.runDeferred();
		if (!this.timer) {
			this.timer = setTimeout(() => this.catchUp(), this.opts.lagMs - waited);
			this.timer.unref();
		}
	}

	/** Due now: run once the commit's messages are out, if nothing was applied meanwhile (else that commit settles it). */
	private runDeferred(): void {
		const defer = this.opts.defer;
		if (!defer) return this.run();
		if (this.deferred) return;
		this.deferred = true;
		defer(() => {
			this.deferred = false;
			if (this.opts.exact?.() ?? true) this.run();
		});
	}

	/** Commits what is pending, then writes every derived row it owes (readers call this first). */
	catchUp(): void {
		if (this.running) return;
		this.opts.flush();
		this.run();
	}

	/** Runs `fn` once everything committed so far is derived (compaction drops the log it derives from). */
	whenDerived(fn: () => void): void {
		if (this.pending) this.waiting.push(fn);
		else fn();
	}

	/** Writes the derived rows owed, with the watermark, in one transaction. */
	private run(): void {
		if (this.running) return;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.urgent = false;
		if (!this.pending) return this.release();
		const { history, docs, upto, since } = this;
		this.history = [];
		this.docs = new Map();
		this.since = 0;
		this.running = true;
		try {
			this.opts.transaction(() => {
				for (const h of history) this.opts.history?.record(h.doc, h.userId, h.at, h.changes, h.seq);
				for (const [name, p] of docs) {
					const { doc, temporary } = this.opts.doc(name);
					try {
						const { touched, by } = projectionOf(p);
						this.opts.project(name, doc, by, touched);
					} finally {
						if (temporary) doc.destroy();
					}
				}
				this.opts.watermark.set(upto);
			});
			this.runs++;
		} catch (e) {
			// Owed still: written with the next commit's, or at the next start (derived-recovery.ts).
			console.error('sync: writing history and projection failed (retried after the next commit):', e);
			this.history = history;
			this.docs = docs;
			this.since = since;
			return;
		} finally {
			this.running = false;
		}
		this.release();
	}

	private release(): void {
		if (this.waiting.length === 0) return;
		const waiting = this.waiting;
		this.waiting = [];
		for (const fn of waiting) fn();
	}

	/** Derives what is owed (shutdown: the database closes next). */
	close(): void {
		this.run();
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}
}
