/**
 * Portal sign-in, sign-out and "forgot password" for customer contacts (issue #12, SPEC §1,
 * §2, §8). Hardened as staff sign-in is (server/auth.ts): one generic answer for every
 * failure (unknown address, wrong password, no password yet, contact or customer deleted, an
 * address two live contacts share), the same path and time for known and unknown addresses,
 * rate limits, and a fresh session at every sign-in.
 */
import { randomBytes } from 'node:crypto';
import { normalizeEmail } from '../../src/lib/schema/fields.ts';
import type { Credentials } from '../../src/lib/schema/staff.ts';
import type { Db } from '../db.ts';
import { enqueue } from '../outbox.ts';
import { verifyPassword } from '../password.ts';
import { ForgotLimits } from '../forgot-limits.ts';
import { generateSessionToken } from '../sessions.ts';
import { readPortalContact, signInContact, type PortalContact } from './contacts.ts';
import { PortalSessionStore, type PortalSession } from './sessions.ts';
import { SignInLimits, type SignInLimitsConfig } from './sign-in-limits.ts';

export type PortalLoginResult =
	| { ok: true; token: string; session: PortalSession; contact: PortalContact }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'rate_limited'; retryAfterMs: number };

export type ResetRequestResult = { ok: true } | { ok: false; reason: 'rate_limited'; retryAfterMs: number };

export { FORGOT_MAILS_PER_ACCOUNT } from '../forgot-limits.ts';

export interface PortalAuthOptions {
	limits: SignInLimitsConfig;
	now?: () => number;
	sessions?: { ttlMs?: number; maxAgeMs?: number };
	/** A set-password mail was queued: the mail worker may look now. */
	queued?: () => void;
}

export class PortalAuth {
	readonly sessions: PortalSessionStore;
	private readonly limits: SignInLimits;
	private readonly forgot: ForgotLimits;
	private readonly now: () => number;

	constructor(
		private readonly db: Db,
		private readonly options: PortalAuthOptions
	) {
		this.now = options.now ?? Date.now;
		this.sessions = new PortalSessionStore(db, this.now, options.sessions?.ttlMs, options.sessions?.maxAgeMs);
		this.limits = new SignInLimits(options.limits, this.now);
		this.forgot = new ForgotLimits(options.limits, this.now);
	}

	async login(credentials: Credentials, address: string): Promise<PortalLoginResult> {
		const account = normalizeEmail(credentials.email);
		const wait = await this.limits.attempt(account, address);
		if (wait > 0) return { ok: false, reason: 'rate_limited', retryAfterMs: wait };

		const found = signInContact(this.db, account);
		// A contact with no password yet verifies against the dummy hash, as an unknown address does.
		const valid = await verifyPassword(found?.passwordHash ?? null, credentials.password);
		// Read again after the (slow) hash: a change meanwhile is honoured, not raced.
		const contact = found && valid ? readPortalContact(this.db, found.contactId) : null;
		if (!found || !contact || contact.credentialAt !== found.credentialAt || contact.emailKey !== account) {
			this.limits.failed(account, address);
			return { ok: false, reason: 'invalid' };
		}
		this.limits.succeeded(account, address);
		const token = generateSessionToken();
		const session = this.sessions.create(token, {
			contactId: contact.id,
			customerId: contact.customerId,
			emailKey: contact.emailKey,
			credentialAt: contact.credentialAt
		});
		return { ok: true, token, session, contact };
	}

	logout(sessionId: string): void {
		this.sessions.invalidate(sessionId);
	}

	/**
	 * "Forgot password?": queues a set-password mail (the link of issue #11: 48 h, one use)
	 * to the contact that signs in with `email`, if there is one. The caller answers the same
	 * whether or not anything was sent; only the per-address limit is ever told.
	 */
	requestReset(email: string, address: string): ResetRequestResult {
		const wait = this.forgot.request(address);
		if (wait > 0) return { ok: false, reason: 'rate_limited', retryAfterMs: wait };
		const account = normalizeEmail(email);
		const found = signInContact(this.db, account);
		if (!found || !this.forgot.mayMail(account)) return { ok: true };
		const queued = enqueue(
			this.db,
			{
				kind: 'set_password',
				idempotencyKey: `set_password:portal:${randomBytes(16).toString('hex')}`,
				customerId: found.customerId,
				contactId: found.contactId,
				toEmail: found.email,
				// The contact asks for it themselves: sent despite "do not e-mail" (compose.ts).
				payload: { requestedByContact: true }
			},
			this.now()
		);
		if (queued) this.options.queued?.();
		return { ok: true };
	}
}
