/**
 * The portal modules on the server (issue #12), one step of the commit (app.ts
 * projectDocument) plus a periodic sweep:
 *   - in the commit, only when the batch touched module records: mirror the touched records
 *     into SQL (mirror.ts) with their numbers (numbering.ts), then decide the mails the
 *     difference calls for (notify.ts) and the send requests not decided yet (sends.ts) — all
 *     in the commit's transaction;
 *   - after the commit: numbers the document does not hold yet are written into it as the
 *     server's own change;
 *   - at start and hourly: invoices that became overdue (overdue.ts), and any number or
 *     overdue mark a crash kept from reaching its document (written now).
 */
import * as Y from 'yjs';
import { customerMap } from '../../src/lib/schema/customer-doc.ts';
import { CUSTOMER_KINDS, DOC } from '../../src/lib/schema/records.ts';
import type { Db } from '../db.ts';
import { mirrorModules, removeModules, type ModuleTouch } from './mirror.ts';
import { decideModuleMails } from './notify.ts';
import { unwrittenNumbers } from './numbering.ts';
import { decideOverdue, unwrittenNotices } from './overdue.ts';
import { decideSends } from './sends.ts';

export type { ModuleTouch } from './mirror.ts';

/** What the modules need from the server around a commit. */
export interface ModuleHost {
	/** Runs `fn` once the commit being written (and everything before it) is committed. */
	afterCommit(fn: () => void): void;
	/** A change the server makes to a document on its own (loaded when needed), committed like any other. */
	change(doc: string, fn: (doc: Y.Doc) => void): void;
	/** Mail was queued: the worker should look now. */
	mailQueued(): void;
}

export const SWEEP_INTERVAL_MS = 3600_000;

export class Modules {
	private host: ModuleHost | null = null;
	private timer: NodeJS.Timeout | null = null;
	private stopped = false;

	constructor(
		private readonly db: Db,
		private readonly clock: () => number = Date.now
	) {}

	/** Connects the server (the commit queue and server changes exist only once SyncServer does). */
	attach(host: ModuleHost): void {
		this.host = host;
	}

	/** Inside the commit's transaction, for a customer document whose module records the batch touched. */
	project(name: string, doc: Y.Doc, by: string | null, touch: ModuleTouch): void {
		if (!(CUSTOMER_KINDS as readonly unknown[]).includes(customerMap(doc).get('kind'))) {
			removeModules(this.db, name);
			return;
		}
		const now = this.clock();
		const changes = mirrorModules(this.db, name, doc, touch, now);
		const sends = touch === 'all' ? null : (touch.get(DOC.sends) ?? new Set<string>());
		const queued =
			decideModuleMails(this.db, name, changes, by, now) +
			(sends === null || sends.size > 0 ? decideSends(this.db, name, doc, sends, now) : 0);
		const numbers = new Map<string, number>();
		for (const { root, id, after } of changes) {
			if (root === DOC.sales && after && typeof after.number === 'number' && after.number !== after.doc_number)
				numbers.set(id, after.number);
		}
		const host = this.host;
		if (!host) return;
		if (numbers.size > 0) host.afterCommit(() => this.write(name, numbers, new Map()));
		if (queued > 0) host.afterCommit(() => host.mailQueued());
	}

	/** Runs the sweep now and every `intervalMs`. */
	start(intervalMs = SWEEP_INTERVAL_MS): void {
		if (this.stopped || this.timer) return;
		this.sweep();
		this.timer = setInterval(() => this.sweep(), intervalMs);
		this.timer.unref();
	}

	/** No more sweeps or server changes (the server is closing; what is left is done at the next start). */
	stop(): void {
		this.stopped = true;
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
	}

	/** Overdue invoices, then whatever the documents still lack (numbers, overdue marks). */
	sweep(): void {
		if (this.stopped) return;
		try {
			const queued = decideOverdue(this.db, this.clock());
			if (queued > 0) this.host?.mailQueued();
			const numbers = unwrittenNumbers(this.db);
			const notices = unwrittenNotices(this.db);
			for (const customer of new Set([...numbers.keys(), ...notices.keys()]))
				this.write(customer, numbers.get(customer) ?? new Map(), notices.get(customer) ?? new Map());
		} catch (e) {
			console.error('modules: the periodic check failed (it runs again within the hour):', e);
		}
	}

	/** Writes numbers and overdue marks into a document as the server's change. */
	private write(customer: string, numbers: Map<string, number>, notices: Map<string, number>): void {
		if (this.stopped || !this.host) return;
		try {
			this.host.change(customer, (doc) => this.apply(doc, numbers, notices));
		} catch (e) {
			// Written at the next sweep: the projection still shows the document lacks them.
			console.error(`modules: could not write numbers into ${customer}:`, e);
		}
	}

	private apply(doc: Y.Doc, numbers: Map<string, number>, notices: Map<string, number>): void {
		const sales = doc.getMap<unknown>(DOC.sales);
		for (const [id, number] of numbers) {
			const m = sales.get(id);
			if (m instanceof Y.Map && m.get('number') !== number) m.set('number', number);
		}
		for (const [id, at] of notices) {
			const m = sales.get(id);
			if (m instanceof Y.Map && m.get('overdueNotifiedAt') == null) m.set('overdueNotifiedAt', at);
		}
	}
}
