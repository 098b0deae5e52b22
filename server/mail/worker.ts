/**
 * The delivery worker (SPEC §3.5, issue #11): sends due outbox rows over SMTP, a few at a
 * time over a pooled transport. Per row: claim (compose and mark 'sending', one
 * transaction) → SMTP transaction → mark 'sent' | retry later | 'failed'.
 * - The decision (template enabled, contact not deleted, address not welcomed yet) is taken
 *   at the first attempt; later attempts resend the stored mail, so a resend is the same mail.
 * - A 5xx fails the row with the server's reply; a 4xx or a connection failure defers every
 *   queued row of that recipient domain with jittered exponential backoff; a row still failing
 *   after the give-up window (MAIL_GIVE_UP_MS) fails with the last reason.
 * - Without SMTP_URL there is no worker: rows stay queued, readable in Settings → E-mail.
 */
import type { Db } from '../db.ts';
import { retryDelay } from './backoff.ts';
import { classify } from './classify.ts';
import { compose, type OutboxRecord, type OutgoingMail } from './compose.ts';
import { OutboxQueue } from './outbox-queue.ts';
import { readHolder, type HolderKind } from './link-holders.ts';
import { SetPasswordLinks } from './set-password-links.ts';
import type { MailTemplates } from './templates.ts';
import type { MailTransport } from './transport.ts';

export interface MailWorkerOptions {
	db: Db;
	templates: MailTemplates;
	transport: MailTransport;
	from: { name: string | null; address: string };
	/** The public origin for links; read per mail (the listening port is known only after start). */
	origin: () => string;
	giveUpMs: number;
	clock?: () => number;
	/** Mails in flight at once (≤ the transport's connections keeps them all busy). */
	concurrency?: number;
	/** How often to look for due rows when idle, in ms. */
	pollMs?: number;
	log?: (message: string) => void;
}

/** What is stored in outbox.rendered: the mail as it left. */
export interface StoredMail extends OutgoingMail {
	from: { name: string | null; address: string };
}

const REDACTED = 'REDACTED';

export class MailWorker {
	private readonly queue: OutboxQueue;
	private readonly links: SetPasswordLinks;
	private readonly clock: () => number;
	private readonly concurrency: number;
	private readonly pollMs: number;
	private readonly log: (message: string) => void;
	private readonly inFlight = new Set<Promise<void>>();
	/**
	 * Per recipient domain: consecutive failure episodes and until when it is held. Failures of
	 * mails already in flight when the domain failed belong to the same episode (no extra doubling).
	 */
	private readonly domains = new Map<string, { failures: number; until: number }>();
	private timer: NodeJS.Timeout | null = null;
	private running = false;
	private stopped = false;

	constructor(private readonly opts: MailWorkerOptions) {
		this.queue = new OutboxQueue(opts.db);
		this.clock = opts.clock ?? Date.now;
		this.links = new SetPasswordLinks(opts.db, this.clock);
		this.concurrency = opts.concurrency ?? 5;
		this.pollMs = opts.pollMs ?? 500;
		this.log = opts.log ?? ((m) => console.warn(m));
	}

	start(): void {
		if (this.running || this.stopped) return;
		const recovered = this.queue.recoverInterrupted();
		if (recovered) this.log(`mail: ${recovered} mail(s) interrupted while sending are sent again`);
		this.running = true;
		this.schedule(0);
	}

	/** Look for due rows now (after a commit queued one). */
	kick(): void {
		if (this.running && this.inFlight.size < this.concurrency) this.schedule(0);
	}

	/** Stops taking rows; waits up to `graceMs` for mails in flight, then closes the transport. */
	async stop(graceMs = 5000): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		this.running = false;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		let timeout: NodeJS.Timeout | undefined;
		await Promise.race([
			Promise.allSettled([...this.inFlight]),
			new Promise((resolve) => (timeout = setTimeout(resolve, graceMs)))
		]);
		clearTimeout(timeout);
		this.opts.transport.close();
	}

	private schedule(ms: number): void {
		if (!this.running) return;
		if (this.timer) clearTimeout(this.timer);
		this.timer = setTimeout(() => this.pump(), ms);
	}

	private pump(): void {
		this.timer = null;
		if (!this.running) return;
		try {
			const free = this.concurrency - this.inFlight.size;
			if (free > 0) {
				for (const row of this.queue.due(this.clock(), free)) this.begin(row);
			}
		} catch (e) {
			this.log(`mail: could not read the outbox: ${String(e)}`);
		}
		if (this.inFlight.size < this.concurrency) {
			const next = this.queue.nextDue();
			const wait = next === null ? this.pollMs : Math.max(0, Math.min(this.pollMs, next - this.clock()));
			this.schedule(wait);
		}
	}

	private begin(row: OutboxRecord): void {
		let mail: StoredMail | null;
		try {
			mail = this.claim(row);
		} catch (e) {
			this.log(`mail: could not prepare outbox row ${row.id}: ${String(e)}`);
			return;
		}
		if (!mail) return;
		const p: Promise<void> = this.deliver(row, mail).finally(() => {
			this.inFlight.delete(p);
			this.schedule(0);
		});
		this.inFlight.add(p);
	}

	/** Composes (or reuses the stored mail) and marks the row 'sending', in one transaction. */
	private claim(row: OutboxRecord): StoredMail | null {
		const { db } = this.opts;
		return db.transaction((): StoredMail | null => {
			const current = this.queue.get(row.id);
			if (!current || current.status !== 'queued') return null;
			const now = this.clock();
			const origin = this.opts.origin();
			const redactedLink = `${origin}/set-password?token=${REDACTED}`;
			let mail: StoredMail;
			const link: { value: string | null } = { value: null };
			if (current.rendered) {
				// A resend: the same mail as the first attempt (and the same Message-ID).
				mail = JSON.parse(current.rendered) as StoredMail;
				const holder = linkHolderOf(current);
				if (holder) {
					const issued = this.issueLink(current.id, holder);
					if (!issued) {
						this.queue.markSkipped(current.id, holder.kind === 'staff' ? 'staff_inactive' : 'contact_deleted');
						return null;
					}
					link.value = issued;
				}
			} else {
				const composed = compose(
					{
						db,
						templates: this.opts.templates,
						origin,
						setPasswordLink: (holderId, emailKey, holder) => {
							link.value = `${origin}/set-password?token=${this.links.issue(holderId, emailKey, current.id, holder)}`;
							return redactedLink;
						}
					},
					current
				);
				if (!composed.send) {
					this.queue.markSkipped(current.id, composed.decision);
					return null;
				}
				mail = { ...composed.mail, from: this.opts.from };
			}
			if (!this.queue.markSending(current.id, JSON.stringify(mail), now)) return null;
			const real = link.value;
			if (!real) return mail;
			return {
				...mail,
				text: mail.text.replaceAll(redactedLink, real),
				html: mail.html.replaceAll(redactedLink, real)
			};
		})();
	}

	/** A fresh link for a resent mail, while its holder still stands (not deleted or deactivated). */
	private issueLink(outboxId: number, holder: { kind: HolderKind; id: string }): string | null {
		const now = readHolder(this.opts.db, holder.kind, holder.id);
		if (!now) return null;
		const token = this.links.issue(holder.id, now.emailKey ?? '', outboxId, holder.kind);
		return `${this.opts.origin()}/set-password?token=${token}`;
	}

	private async deliver(row: OutboxRecord, mail: StoredMail): Promise<void> {
		const domain = row.domain ?? mail.to.address.split('@')[1]?.toLowerCase() ?? '';
		try {
			await this.opts.transport.sendMail({
				from: mail.from.name ? { name: mail.from.name, address: mail.from.address } : mail.from.address,
				to: mail.to.name ? { name: mail.to.name, address: mail.to.address } : mail.to.address,
				subject: mail.subject,
				text: mail.text,
				html: mail.html,
				messageId: row.message_id,
				headers: { 'Auto-Submitted': 'auto-generated' }
			});
		} catch (e) {
			this.failed(row, domain, e);
			return;
		}
		try {
			this.queue.markSent(row.id, this.clock());
			this.domains.delete(domain);
		} catch (e) {
			// The mail left; the mark did not land. Left 'sending', the row is sent again once after a restart.
			this.log(`mail: outbox row ${row.id} was sent but could not be marked: ${String(e)}`);
		}
	}

	private failed(row: OutboxRecord, domain: string, error: unknown): void {
		const outcome = classify(error);
		const now = this.clock();
		try {
			if (!outcome.retry) {
				this.queue.markFailed(row.id, outcome.reason);
				return;
			}
			if (now - (row.retried_at ?? row.created_at) >= this.opts.giveUpMs) {
				const hours = Math.round(this.opts.giveUpMs / 360_000) / 10;
				this.queue.markFailed(row.id, `gave up after ${row.attempts + 1} attempts over ${hours} h: ${outcome.reason}`);
				return;
			}
			const held = this.domains.get(domain);
			let until: number;
			if (held && held.until > now) until = held.until;
			else {
				const failures = (held?.failures ?? 0) + 1;
				// After a restart the map is empty: the row's own attempts keep the backoff growing.
				until = now + retryDelay(Math.max(failures, row.attempts + 1));
				this.domains.set(domain, { failures, until });
			}
			this.opts.db.transaction(() => {
				this.queue.markRetry(row.id, outcome.reason, until);
				this.queue.deferDomain(domain, until);
			})();
		} catch (e) {
			this.log(`mail: could not record the outcome of outbox row ${row.id}: ${String(e)}`);
		}
	}
}

/** Whose set-password link a row's mail carries, if any. */
function linkHolderOf(row: OutboxRecord): { kind: HolderKind; id: string } | null {
	if ((row.kind === 'set_password' || row.kind === 'welcome') && row.contact_id)
		return { kind: 'contact', id: row.contact_id };
	if (row.kind === 'staff_password_reset') {
		try {
			const userId = (JSON.parse(row.payload) as { userId?: unknown }).userId;
			return typeof userId === 'string' ? { kind: 'staff', id: userId } : null;
		} catch {
			return null;
		}
	}
	return null;
}
