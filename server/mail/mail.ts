/**
 * E-mail as one part of the app context: templates, set-password links, the admin outbox and
 * (with SMTP_URL) the delivery worker. createApp starts it and close() stops it.
 */
import type { Config } from '../config.ts';
import type { Db } from '../db.ts';
import { compose, type OutboxRecord } from './compose.ts';
import { OutboxAdmin } from './outbox-admin.ts';
import { SetPasswordLinks } from './set-password-links.ts';
import { MailTemplates } from './templates.ts';
import { createTransport } from './transport.ts';
import { MailWorker, type StoredMail } from './worker.ts';

export type Preview =
	| { mail: Omit<StoredMail, 'from'> & { from?: StoredMail['from'] }; decision: null; stored: boolean }
	| { mail: null; decision: string; stored: boolean };

export class Mail {
	readonly templates: MailTemplates;
	readonly links: SetPasswordLinks;
	readonly outbox: OutboxAdmin;
	private readonly worker: MailWorker | null;
	private origin: string;

	constructor(
		private readonly db: Db,
		private readonly config: Config,
		clock: () => number = Date.now
	) {
		this.templates = new MailTemplates(db);
		this.links = new SetPasswordLinks(db, clock);
		this.outbox = new OutboxAdmin(db);
		this.origin = config.publicUrl?.origin ?? `http://${config.host}:${config.port}`;
		this.worker = config.smtpUrl
			? new MailWorker({
					db,
					templates: this.templates,
					transport: createTransport(config.smtpUrl),
					from: config.mailFrom,
					origin: () => this.origin,
					giveUpMs: config.mailGiveUpMs,
					clock
				})
			: null;
	}

	/** Whether mail leaves (SMTP_URL set) or stays in the outbox. */
	get delivering(): boolean {
		return this.worker !== null;
	}

	/** The origin links in mail point at, once the listening address is known (without PUBLIC_URL). */
	setOrigin(origin: string): void {
		if (!this.config.publicUrl) this.origin = origin;
	}

	start(): void {
		this.worker?.start();
	}

	/** A row was queued: look now rather than at the next poll. */
	kick(): void {
		this.worker?.kick();
	}

	async stop(): Promise<void> {
		await this.worker?.stop();
	}

	/**
	 * The mail of a row as it left (stored) or as it would leave now, with the set-password link
	 * shown as a placeholder (a preview never issues a working link).
	 */
	preview(row: OutboxRecord): Preview {
		if (row.rendered) return { mail: JSON.parse(row.rendered) as StoredMail, decision: null, stored: true };
		if (row.decision) return { mail: null, decision: row.decision, stored: true };
		const composed = compose(
			{
				db: this.db,
				templates: this.templates,
				origin: this.origin,
				setPasswordLink: () => `${this.origin}/set-password?token=…`
			},
			row
		);
		if (!composed.send) return { mail: null, decision: composed.decision, stored: false };
		return { mail: { ...composed.mail, from: this.config.mailFrom }, decision: null, stored: false };
	}
}
