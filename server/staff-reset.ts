/**
 * "Forgot password?" for staff (issue #14 item 9): a set-password link by e-mail, the same
 * link as the portal's contacts get (server/mail/set-password-links.ts: 48 h, one use, dies
 * with a newer link, another password change or deactivation). One answer for every address
 * — known, unknown or deactivated — and the same short path for all (a lookup, at most one
 * outbox insert; the mail leaves later from the worker), rate limited as the portal's is.
 */
import { randomBytes } from 'node:crypto';
import { normalizeEmail } from '../src/lib/schema/fields.ts';
import type { Db } from './db.ts';
import { ForgotLimits } from './forgot-limits.ts';
import { linkMail, readHolder } from './mail/link-holders.ts';
import { enqueue } from './outbox.ts';
import type { UserStore } from './users.ts';

export type StaffResetResult =
	{ ok: true; queued: boolean } | { ok: false; reason: 'rate_limited'; retryAfterMs: number };

export class StaffPasswordReset {
	private readonly limits: ForgotLimits;

	constructor(
		private readonly db: Db,
		private readonly users: UserStore,
		limits: { loginMaxPerAddress: number; loginWindowMs: number },
		private readonly now: () => number = Date.now
	) {
		this.limits = new ForgotLimits(limits, now);
	}

	/**
	 * Queues a staff_password_reset mail to the active account that signs in with `email`, if
	 * there is one. `queued` is for the caller's mail worker only; what the user is told must not
	 * depend on it.
	 */
	request(email: string, address: string): StaffResetResult {
		const wait = this.limits.request(address);
		if (wait > 0) return { ok: false, reason: 'rate_limited', retryAfterMs: wait };
		const account = normalizeEmail(email);
		const found = this.users.findForLogin(account);
		const holder = found?.user.active ? readHolder(this.db, 'staff', found.user.id) : null;
		if (!holder || !this.limits.mayMail(account)) return { ok: true, queued: false };
		const queued = enqueue(this.db, linkMail('staff', holder, `forgot:${randomBytes(16).toString('hex')}`), this.now());
		return { ok: true, queued };
	}
}
