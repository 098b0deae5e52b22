/**
 * Set-password links (SPEC §2, §8; issue #11 item 5). The link carries a random 256-bit
 * token; only its SHA-256 is stored (as Lucia stores session tokens), so a copy of the
 * database opens no account. A link works once, for 48 hours, and dies when a newer link of
 * another request is issued, when the contact is deleted or changes e-mail, or when the
 * contact's password is set any other way. Using it is one conditional UPDATE inside a
 * transaction: of any number of concurrent uses exactly one changes the row.
 */
import { createHash, randomBytes } from 'node:crypto';
import { newPassword, type FieldError } from '../../src/lib/schema/fields.ts';
import { isMailLocale, type MailLocale } from '../../src/lib/schema/mail/kinds.ts';
import type { Db } from '../db.ts';
import { enqueue } from '../outbox.ts';
import { hashPassword } from '../password.ts';
import { contactById } from './recipients.ts';

export const LINK_TTL_MS = 48 * 3600_000;

/** What a link that does not work gets: one clear page (SPEC §8), no detail an attacker could use. */
export type LinkProblem = 'invalid' | 'expired' | 'used';

export type LinkCheck =
	| { ok: true; contactId: string; customerId: string; locale: MailLocale | null; firstName: string | null }
	| { ok: false; reason: LinkProblem };

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

interface TokenRow {
	contact_id: string;
	outbox_id: number | null;
	email_key: string;
	expires_at: number;
	used_at: number | null;
	invalidated_at: number | null;
}

/** Kills every live link of a contact (its password was set another way). Inside the caller's transaction or alone. */
export function invalidateLinks(db: Db, contactId: string, now = Date.now()): void {
	db.prepare(
		'UPDATE set_password_tokens SET invalidated_at = ? WHERE contact_id = ? AND used_at IS NULL AND invalidated_at IS NULL'
	).run(now, contactId);
}

export class SetPasswordLinks {
	/** Links being used right now: a concurrent use of the same link is refused before it hashes. */
	private readonly inUse = new Set<string>();

	constructor(
		private readonly db: Db,
		private readonly clock: () => number = Date.now
	) {}

	/**
	 * A new token for the mail of outbox row `outboxId`. Links of other requests die; another
	 * link of the same row (a resend after a crash, same Message-ID) stays valid, so whichever
	 * copy the recipient keeps works — once, since using one kills the others.
	 */
	issue(contactId: string, emailKey: string, outboxId: number | null): string {
		const token = randomBytes(32).toString('base64url');
		const now = this.clock();
		this.db.transaction(() => {
			this.db
				.prepare(
					`UPDATE set_password_tokens SET invalidated_at = ?
					 WHERE contact_id = ? AND used_at IS NULL AND invalidated_at IS NULL AND outbox_id IS NOT ?`
				)
				.run(now, contactId, outboxId);
			this.db
				.prepare(
					`INSERT INTO set_password_tokens (token_hash, contact_id, outbox_id, email_key, created_at, expires_at)
					 VALUES (?, ?, ?, ?, ?, ?)`
				)
				.run(hashToken(token), contactId, outboxId, emailKey, now, now + LINK_TTL_MS);
		})();
		return token;
	}

	check(token: unknown): LinkCheck {
		if (typeof token !== 'string' || !TOKEN_RE.test(token)) return { ok: false, reason: 'invalid' };
		const row = this.db
			.prepare(
				'SELECT contact_id, outbox_id, email_key, expires_at, used_at, invalidated_at FROM set_password_tokens WHERE token_hash = ?'
			)
			.get(hashToken(token)) as TokenRow | undefined;
		if (!row) return { ok: false, reason: 'invalid' };
		if (row.used_at !== null) return { ok: false, reason: 'used' };
		if (row.invalidated_at !== null) return { ok: false, reason: 'invalid' };
		if (row.expires_at <= this.clock()) return { ok: false, reason: 'expired' };
		const contact = contactById(this.db, row.contact_id);
		if (!contact || contact.deleted || contact.emailKey !== row.email_key) return { ok: false, reason: 'invalid' };
		return {
			ok: true,
			contactId: contact.id,
			customerId: contact.customerId,
			locale: isMailLocale(contact.language) ? contact.language : null,
			firstName: contact.firstName
		};
	}

	/**
	 * "Send me a new link" from an expired or used link's page (SPEC §8): queues one new
	 * set-password mail for the link's contact — once per old link, and only while the contact
	 * still has that address. Answers nothing about the outcome (no oracle for guessed tokens).
	 */
	renew(token: unknown): void {
		if (typeof token !== 'string' || !TOKEN_RE.test(token)) return;
		const hash = hashToken(token);
		const row = this.db
			.prepare('SELECT contact_id, email_key FROM set_password_tokens WHERE token_hash = ?')
			.get(hash) as Pick<TokenRow, 'contact_id' | 'email_key'> | undefined;
		if (!row) return;
		const contact = contactById(this.db, row.contact_id);
		if (!contact || contact.deleted || !contact.email || contact.emailKey !== row.email_key) return;
		enqueue(
			this.db,
			{
				kind: 'set_password',
				idempotencyKey: `set_password:renew:${hash.slice(0, 40)}`,
				customerId: contact.customerId,
				contactId: contact.id,
				toEmail: contact.email
			},
			this.clock()
		);
	}

	/**
	 * Sets the contact's portal password with the link (the same rules and argon2id hashing as
	 * staff passwords). The password is hashed before the transaction (hashing is slow and
	 * async; a concurrent use of the same link in this process is refused before hashing); the
	 * transaction re-checks the link and takes it with one conditional UPDATE.
	 */
	async use(
		token: unknown,
		password: unknown
	): Promise<{ ok: true; contactId: string } | { ok: false; reason: LinkProblem } | { ok: false; reason: FieldError }> {
		const first = this.check(token);
		if (!first.ok) return first;
		const pw = newPassword(password);
		if (!pw.ok) return { ok: false, reason: pw.error };
		const key = hashToken(token as string);
		if (this.inUse.has(key)) return { ok: false, reason: 'used' };
		this.inUse.add(key);
		let hash: string;
		try {
			hash = await hashPassword(pw.value);
		} finally {
			this.inUse.delete(key);
		}
		return this.db.transaction(() => {
			const again = this.check(token);
			if (!again.ok) return again;
			const now = this.clock();
			const taken = this.db
				.prepare(
					`UPDATE set_password_tokens SET used_at = ?
					 WHERE token_hash = ? AND used_at IS NULL AND invalidated_at IS NULL AND expires_at > ?`
				)
				.run(now, hashToken(token as string), now);
			if (taken.changes !== 1) return { ok: false as const, reason: 'used' as const };
			this.db
				.prepare(
					`INSERT INTO contact_credentials (contact_id, password_hash, updated_by, updated_at) VALUES (?, ?, NULL, ?)
					 ON CONFLICT (contact_id) DO UPDATE SET password_hash = excluded.password_hash,
					 updated_by = excluded.updated_by, updated_at = excluded.updated_at`
				)
				.run(again.contactId, hash, now);
			invalidateLinks(this.db, again.contactId, now);
			return { ok: true as const, contactId: again.contactId };
		})();
	}
}
