/**
 * Sign-in, first-admin set-up and staff administration: the rules around accounts,
 * built on the user and session stores. Every failure of sign-in gets one generic answer.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Db } from './db.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { RateLimiter } from './rate-limit.ts';
import { generateSessionToken, type Session, SessionStore } from './sessions.ts';
import { DuplicateEmailError, type User, UserStore } from './users.ts';
import { invalidateLinks } from './mail/set-password-links.ts';
import { StaffPasswordReset } from './staff-reset.ts';
import { normalizeEmail } from '../src/lib/schema/fields.ts';
import type { Credentials, NewStaff, Role } from '../src/lib/schema/staff.ts';

/** How long the one-time set-up link printed at start works (a restart prints a new one). */
export const SETUP_TOKEN_TTL_MS = 24 * 3600 * 1000;

export type LoginResult =
	| { ok: true; token: string; session: Session; user: User }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'rate_limited'; retryAfterMs: number };

export interface AuthLimits {
	/** Failed sign-ins per account from one address per window; over it that address waits. */
	loginMaxPerAccount: number;
	/** Sign-in attempts (any account) per address per window. */
	loginMaxPerAddress: number;
	loginWindowMs: number;
	/**
	 * Failed sign-ins of one account from all addresses together per window after which every
	 * attempt on it is slowed by `loginSlowdownMs` (never refused: the owner still gets in).
	 */
	loginSlowdownAfter?: number;
	loginSlowdownMs?: number;
	/** Absolute session lifetime from sign-in. */
	sessionMaxAgeMs?: number;
}

/** Called when a user loses access (deactivated): their open sync sockets must close. */
export type AccessRevoked = (userId: string) => void;

export class Auth {
	readonly users: UserStore;
	readonly sessions: SessionStore;
	/** "Forgot password?" on the sign-in page. */
	readonly reset: StaffPasswordReset;
	/** Failures per (account, address). */
	private readonly perAccount: RateLimiter;
	/** Every attempt per address. */
	private readonly perAddress: RateLimiter;
	/** Failures per account from everywhere: only slows attempts down. */
	private readonly accountWide: RateLimiter;
	private readonly slowdownMs: number;
	private readonly revokedListeners: AccessRevoked[] = [];

	constructor(
		private readonly db: Db,
		limits: AuthLimits,
		private readonly now: () => number = Date.now
	) {
		this.users = new UserStore(db, now);
		this.sessions = new SessionStore(db, now, limits.sessionMaxAgeMs);
		this.reset = new StaffPasswordReset(db, this.users, limits, now);
		this.perAccount = new RateLimiter(limits.loginMaxPerAccount, limits.loginWindowMs, now);
		this.perAddress = new RateLimiter(limits.loginMaxPerAddress, limits.loginWindowMs, now);
		this.accountWide = new RateLimiter(limits.loginSlowdownAfter ?? 20, limits.loginWindowMs, now);
		this.slowdownMs = limits.loginSlowdownMs ?? 1000;
	}

	onAccessRevoked(fn: AccessRevoked): void {
		this.revokedListeners.push(fn);
	}

	/**
	 * Rate limited with fixed windows, so a flood is slowed and nobody is locked out — above
	 * all not the account's owner by someone else's guesses (issue #9): failures are counted
	 * per account AND address (guessing from one address stops there, the owner's address is
	 * not affected), every attempt per address, and an account guessed at from many addresses
	 * is slowed down for everyone rather than refused. Unknown and known e-mails take the
	 * same path, the same time and get the same answer.
	 */
	async login(credentials: Credentials, address: string): Promise<LoginResult> {
		const accountKey = normalizeEmail(credentials.email);
		const pairKey = `${accountKey}\n${address}`;
		const wait = Math.max(this.perAccount.retryAfter(pairKey), this.perAddress.retryAfter(address));
		if (wait > 0) return { ok: false, reason: 'rate_limited', retryAfterMs: wait };
		this.perAddress.hit(address);
		if (this.accountWide.retryAfter(accountKey) > 0 && this.slowdownMs > 0) {
			await new Promise((resolve) => setTimeout(resolve, this.slowdownMs));
		}

		const found = this.users.findForLogin(accountKey);
		const valid = await verifyPassword(found?.passwordHash ?? null, credentials.password);
		if (!found || !valid || !found.user.active) {
			this.perAccount.hit(pairKey);
			this.accountWide.hit(accountKey);
			return { ok: false, reason: 'invalid' };
		}
		this.perAccount.reset(pairKey);
		const token = generateSessionToken();
		const session = this.sessions.create(token, found.user.id);
		return { ok: true, token, session, user: found.user };
	}

	logout(sessionId: string): void {
		this.sessions.invalidate(sessionId);
	}

	/**
	 * A plain result rather than an error class: SvelteKit's bundle has its own copy of this
	 * module's classes, so `instanceof` across the boundary would never match.
	 */
	async createStaff(input: NewStaff): Promise<{ ok: true; user: User } | { ok: false; reason: 'email_taken' }> {
		const passwordHash = await hashPassword(input.password);
		try {
			return {
				ok: true,
				user: this.users.create({ email: input.email, name: input.name, role: input.role, passwordHash })
			};
		} catch (e) {
			if (e instanceof DuplicateEmailError) return { ok: false, reason: 'email_taken' };
			throw e;
		}
	}

	/** Sets a new password and ends every session of that user (and every reset link sent to them). */
	async resetPassword(userId: string, password: string): Promise<boolean> {
		const hash = await hashPassword(password);
		const ok = this.db.transaction(() => {
			const changed = this.users.setPassword(userId, hash);
			if (changed) invalidateLinks(this.db, userId, this.now(), 'staff');
			return changed;
		})();
		if (ok) this.sessions.invalidateUser(userId);
		return ok;
	}

	/**
	 * A staff member changes their own password (issue #14 item 9): the current one is required,
	 * wrong guesses are limited as sign-in is (per account and address), and every other
	 * session of the user ends (its sockets close, 4401) while the one asking stays signed in.
	 */
	async changeOwnPassword(
		userId: string,
		sessionId: string,
		input: { current: string; next: string },
		address: string
	): Promise<
		{ ok: true } | { ok: false; reason: 'wrong_password' } | { ok: false; reason: 'rate_limited'; retryAfterMs: number }
	> {
		const user = this.users.get(userId);
		const pairKey = `password-change:${userId}\n${address}`;
		const wait = this.perAccount.retryAfter(pairKey);
		if (wait > 0) return { ok: false, reason: 'rate_limited', retryAfterMs: wait };
		const found = user ? this.users.findForLogin(user.email) : null;
		if (!found || !(await verifyPassword(found.passwordHash, input.current))) {
			this.perAccount.hit(pairKey);
			return { ok: false, reason: 'wrong_password' };
		}
		this.perAccount.reset(pairKey);
		const hash = await hashPassword(input.next);
		this.db.transaction(() => {
			this.users.setPassword(userId, hash);
			// A reset link sent before no longer opens the account (issue #14 item 9).
			invalidateLinks(this.db, userId, this.now(), 'staff');
		})();
		this.sessions.invalidateUserExcept(userId, sessionId);
		return { ok: true };
	}

	/** Deactivation ends the user's sessions and closes their sync sockets. */
	setActive(userId: string, active: boolean): boolean {
		const ok = this.db.transaction(() => {
			const changed = this.users.setActive(userId, active);
			if (changed && !active) {
				this.sessions.invalidateUser(userId);
				// A reset link stays dead when the account is activated again.
				invalidateLinks(this.db, userId, this.now(), 'staff');
			}
			return changed;
		})();
		if (ok && !active) for (const fn of this.revokedListeners) fn(userId);
		return ok;
	}

	/** True when deactivating `userId` would leave no active admin. */
	isLastActiveAdmin(userId: string): boolean {
		const u = this.users.get(userId);
		return !!u && u.role === 'admin' && u.active && this.users.countActiveAdmins() <= 1;
	}

	// --- First start -------------------------------------------------------------------

	needsSetup(): boolean {
		return this.users.count() === 0;
	}

	/** Creates the first admin from configuration; returns false when users exist already. */
	async bootstrapAdmin(email: string, password: string, givenName?: string | null): Promise<boolean> {
		if (!this.needsSetup()) return false;
		// ADMIN_NAME names the first admin; the e-mail's local part only when it is not set.
		const name = givenName?.trim() || email.split('@')[0] || 'Admin';
		return (await this.createStaff({ email: normalizeEmail(email), name, role: 'admin', password })).ok;
	}

	/** A fresh one-time set-up token (earlier ones stop working); only its hash is stored. */
	issueSetupToken(): string {
		const token = generateSessionToken();
		this.db.transaction(() => {
			this.db.prepare('DELETE FROM setup_tokens').run();
			this.db
				.prepare('INSERT INTO setup_tokens (token_hash, created_at) VALUES (?, ?)')
				.run(hashToken(token), this.now());
		})();
		return token;
	}

	/** A set-up link works once, and only for SETUP_TOKEN_TTL_MS after it was printed. */
	isValidSetupToken(token: string): boolean {
		if (!this.needsSetup() || typeof token !== 'string') return false;
		return !!this.db
			.prepare('SELECT 1 FROM setup_tokens WHERE token_hash = ? AND created_at > ?')
			.get(hashToken(token), this.now() - SETUP_TOKEN_TTL_MS);
	}

	/** Uses the set-up token once to create the first admin. */
	async completeSetup(token: string, input: Omit<NewStaff, 'role'>): Promise<User | null> {
		if (!this.isValidSetupToken(token)) return null;
		const passwordHash = await hashPassword(input.password);
		return this.db.transaction(() => {
			// Re-checked inside the transaction: two tabs racing cannot both create an admin.
			const used = this.db
				.prepare('DELETE FROM setup_tokens WHERE token_hash = ? AND created_at > ?')
				.run(hashToken(token), this.now() - SETUP_TOKEN_TTL_MS).changes;
			if (used !== 1 || this.users.count() > 0) return null;
			return this.users.create({ email: input.email, name: input.name, role: 'admin', passwordHash });
		})();
	}

	roleOf(userId: string): Role | null {
		return this.users.get(userId)?.role ?? null;
	}
}

function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}
