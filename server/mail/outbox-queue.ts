/**
 * The worker's side of the outbox table (migrations 004, 009): what is due, and the status
 * changes around an SMTP transaction. queued → sending is committed before the transaction
 * starts and sending → sent right after the server's 250, so a crash in between leaves the
 * row 'sending': on the next start it is sent again, once, with the same Message-ID.
 */
import type { Db } from '../db.ts';
import type { OutboxRecord } from './compose.ts';

export class OutboxQueue {
	private readonly s;

	constructor(db: Db) {
		this.s = {
			get: db.prepare('SELECT * FROM outbox WHERE id = ?'),
			due: db.prepare(
				`SELECT * FROM outbox WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`
			),
			nextDue: db.prepare(`SELECT min(next_attempt_at) FROM outbox WHERE status = 'queued'`).pluck(),
			recover: db.prepare(
				`UPDATE outbox SET status = 'queued', next_attempt_at = 0,
				 last_error = 'interrupted while sending (server stopped); sent again with the same Message-ID'
				 WHERE status = 'sending'`
			),
			sending: db.prepare(
				`UPDATE outbox SET status = 'sending', attempts = attempts + 1, rendered = ?, sending_at = ?
				 WHERE id = ? AND status = 'queued'`
			),
			skipped: db.prepare(
				`UPDATE outbox SET status = 'skipped', decision = ?, sent_at = NULL WHERE id = ? AND status = 'queued'`
			),
			sent: db.prepare(
				`UPDATE outbox SET status = 'sent', sent_at = ?, last_error = NULL WHERE id = ? AND status = 'sending'`
			),
			retry: db.prepare(
				`UPDATE outbox SET status = 'queued', last_error = ?, next_attempt_at = ? WHERE id = ? AND status = 'sending'`
			),
			failed: db.prepare(`UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ? AND status = 'sending'`),
			deferDomain: db.prepare(
				`UPDATE outbox SET next_attempt_at = ? WHERE domain = ? AND status = 'queued' AND next_attempt_at < ?`
			)
		};
	}

	get(id: number): OutboxRecord | undefined {
		return this.s.get.get(id) as OutboxRecord | undefined;
	}

	due(now: number, limit: number): OutboxRecord[] {
		return this.s.due.all(now, limit) as OutboxRecord[];
	}

	/** When the earliest queued row falls due (null: none queued). */
	nextDue(): number | null {
		return (this.s.nextDue.get() as number | null) ?? null;
	}

	/** Rows a stopped process left 'sending' go back to the queue. Returns how many. */
	recoverInterrupted(): number {
		return this.s.recover.run().changes;
	}

	markSending(id: number, rendered: string, now: number): boolean {
		return this.s.sending.run(rendered, now, id).changes === 1;
	}

	markSkipped(id: number, decision: string): void {
		this.s.skipped.run(decision, id);
	}

	markSent(id: number, now: number): void {
		this.s.sent.run(now, id);
	}

	markRetry(id: number, reason: string, at: number): void {
		this.s.retry.run(reason, at, id);
	}

	markFailed(id: number, reason: string): void {
		this.s.failed.run(reason, id);
	}

	/** Holds every queued row of a recipient domain until `until` (backoff per domain). */
	deferDomain(domain: string, until: number): void {
		this.s.deferDomain.run(until, domain, until);
	}
}
