/**
 * Set-password links (SPEC §2, §8; issue #11 item 5) for customer contacts (portal password)
 * and staff users ("Forgot password?", issue #14 item 9) alike: who the link is for is its
 * holder (link-holders.ts). The link carries a random 256-bit token; only its SHA-256 is
 * stored (as Lucia stores session tokens), so a copy of the database opens no account. A link
 * works once, for 48 hours, and dies when a newer link of another request is issued, when the
 * holder is deleted (a staff user: deactivated) or changes e-mail, or when the holder's
 * password is set any other way. Using it is one conditional UPDATE inside a transaction: of
 * any number of concurrent uses exactly one changes the row.
 */
import { createHash, randomBytes } from 'node:crypto';
import { newPassword, type FieldError } from '../../src/lib/schema/fields.ts';
import type { MailLocale } from '../../src/lib/schema/mail/kinds.ts';
import type { Db } from '../db.ts';
import { enqueue } from '../outbox.ts';
import { hashPassword } from '../password.ts';
import { linkMail, readHolder, storePassword, type HolderKind } from './link-holders.ts';

export type { HolderKind } from './link-holders.ts';

export const LINK_TTL_MS = 48 * 3600_000;

/** What a link that does not work gets: one clear page (SPEC §8), no detail an attacker could use. */
export type LinkProblem = 'invalid' | 'expired' | 'used';

export type LinkCheck =
	| {
			ok: true;
			holder: 'contact';
			contactId: string;
			customerId: string;
			locale: MailLocale | null;
			firstName: string | null;
	  }
	| { ok: true; holder: 'staff'; userId: string; locale: MailLocale | null; firstName: string | null }
	| { ok: false; reason: LinkProblem };

export type LinkUse =
	| { ok: true; contactId: string }
	| { ok: true; userId: string }
	| { ok: false; reason: LinkProblem }
	| { ok: false; reason: FieldError };

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

interface TokenRow {
	holder: HolderKind;
	holder_id: string;
	outbox_id: number | null;
	email_key: string;
	expires_at: number;
	used_at: number | null;
	invalidated_at: number | null;
}

/**
 * Kills every live link of a holder (its password was set another way, a staff user was
 * deactivated). Inside the caller's transaction or alone.
 */
export function invalidateLinks(db: Db, holderId: string, now = Date.now(), holder: HolderKind = 'contact'): void {
	db.prepare(
		`UPDATE set_password_tokens SET invalidated_at = ?
		 WHERE holder = ? AND holder_id = ? AND used_at IS NULL AND invalidated_at IS NULL`
	).run(now, holder, holderId);
}

export class SetPasswordLinks {
	/** Links being used right now: a concurrent use of the same link is refused before it hashes. */
	private readonly inUse = new Set<string>();
	private readonly staffPasswordSet: ((userId: string) => void)[] = [];

	constructor(
		private readonly db: Db,
		private readonly clock: () => number = Date.now
	) {}

	/** Called after a staff user set a password with a link (the app ends every session of theirs). */
	onStaffPasswordSet(fn: (userId: string) => void): void {
		this.staffPasswordSet.push(fn);
	}

	/**
	 * A new token for the mail of outbox row `outboxId`. Links of other requests die; another
	 * link of the same row (a resend after a crash, same Message-ID) stays valid, so whichever
	 * copy the recipient keeps works — once, since using one kills the others.
	 */
	issue(holderId: string, emailKey: string, outboxId: number | null, holder: HolderKind = 'contact'): string {
		const token = randomBytes(32).toString('base64url');
		const now = this.clock();
		this.db.transaction(() => {
			this.db
				.prepare(
					`UPDATE set_password_tokens SET invalidated_at = ?
					 WHERE holder = ? AND holder_id = ? AND used_at IS NULL AND invalidated_at IS NULL AND outbox_id IS NOT ?`
				)
				.run(now, holder, holderId, outboxId);
			this.db
				.prepare(
					`INSERT INTO set_password_tokens (token_hash, holder, holder_id, outbox_id, email_key, created_at, expires_at)
					 VALUES (?, ?, ?, ?, ?, ?, ?)`
				)
				.run(hashToken(token), holder, holderId, outboxId, emailKey, now, now + LINK_TTL_MS);
		})();
		return token;
	}

	check(token: unknown): LinkCheck {
		if (typeof token !== 'string' || !TOKEN_RE.test(token)) return { ok: false, reason: 'invalid' };
		const row = this.db
			.prepare(
				`SELECT holder, holder_id, outbox_id, email_key, expires_at, used_at, invalidated_at
				 FROM set_password_tokens WHERE token_hash = ?`
			)
			.get(hashToken(token)) as TokenRow | undefined;
		if (!row) return { ok: false, reason: 'invalid' };
		if (row.used_at !== null) return { ok: false, reason: 'used' };
		if (row.invalidated_at !== null) return { ok: false, reason: 'invalid' };
		if (row.expires_at <= this.clock()) return { ok: false, reason: 'expired' };
		const now = readHolder(this.db, row.holder, row.holder_id);
		if (!now || now.emailKey !== row.email_key) return { ok: false, reason: 'invalid' };
		return row.holder === 'staff'
			? { ok: true, holder: 'staff', userId: now.id, locale: now.locale, firstName: now.firstName }
			: {
					ok: true,
					holder: 'contact',
					contactId: now.id,
					customerId: now.customerId ?? '',
					locale: now.locale,
					firstName: now.firstName
				};
	}

	/**
	 * "Send me a new link" from an expired or used link's page (SPEC §8): queues one new
	 * set-password mail for the link's holder — once per old link, and only while the holder
	 * still has that address. Answers nothing about the outcome (no oracle for guessed tokens).
	 */
	renew(token: unknown): void {
		if (typeof token !== 'string' || !TOKEN_RE.test(token)) return;
		const hash = hashToken(token);
		const row = this.db
			.prepare('SELECT holder, holder_id, email_key FROM set_password_tokens WHERE token_hash = ?')
			.get(hash) as Pick<TokenRow, 'holder' | 'holder_id' | 'email_key'> | undefined;
		if (!row) return;
		const holder = readHolder(this.db, row.holder, row.holder_id);
		if (!holder || !holder.email || holder.emailKey !== row.email_key) return;
		enqueue(this.db, linkMail(row.holder, holder, `renew:${hash.slice(0, 40)}`), this.clock());
	}

	/**
	 * Sets the holder's password with the link (the staff password rules and argon2id hashing
	 * for both). The password is hashed before the transaction (hashing is slow and async; a
	 * concurrent use of the same link in this process is refused before hashing); the
	 * transaction re-checks the link and takes it with one conditional UPDATE. A staff user's
	 * sessions all end afterwards (onStaffPasswordSet).
	 */
	async use(token: unknown, password: unknown): Promise<LinkUse> {
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
		const result = this.db.transaction((): LinkUse => {
			const again = this.check(token);
			if (!again.ok) return again;
			const now = this.clock();
			const taken = this.db
				.prepare(
					`UPDATE set_password_tokens SET used_at = ?
					 WHERE token_hash = ? AND used_at IS NULL AND invalidated_at IS NULL AND expires_at > ?`
				)
				.run(now, key, now);
			if (taken.changes !== 1) return { ok: false, reason: 'used' };
			const id = again.holder === 'staff' ? again.userId : again.contactId;
			storePassword(this.db, again.holder, id, hash, now);
			invalidateLinks(this.db, id, now, again.holder);
			return again.holder === 'staff' ? { ok: true, userId: id } : { ok: true, contactId: id };
		})();
		if (result.ok && 'userId' in result) for (const fn of this.staffPasswordSet) fn(result.userId);
		return result;
	}
}
