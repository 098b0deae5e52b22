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
import { normalizeEmail } from '../src/lib/schema/fields.ts';
import type { Credentials, NewStaff, Role } from '../src/lib/schema/staff.ts';

export type LoginResult =
	| { ok: true; token: string; session: Session; user: User }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'rate_limited'; retryAfterMs: number };

export interface AuthLimits {
	loginMaxPerAccount: number;
	loginMaxPerAddress: number;
	loginWindowMs: number;
}

/** Called when a user loses access (deactivated): their open sync sockets must close. */
export type AccessRevoked = (userId: string) => void;

export class Auth {
	readonly users: UserStore;
	readonly sessions: SessionStore;
	private readonly perAccount: RateLimiter;
	private readonly perAddress: RateLimiter;
	private readonly revokedListeners: AccessRevoked[] = [];

	constructor(
		private readonly db: Db,
		limits: AuthLimits,
		now: () => number = Date.now
	) {
		this.users = new UserStore(db, now);
		this.sessions = new SessionStore(db, now);
		this.perAccount = new RateLimiter(limits.loginMaxPerAccount, limits.loginWindowMs, now);
		this.perAddress = new RateLimiter(limits.loginMaxPerAddress, limits.loginWindowMs, now);
	}

	onAccessRevoked(fn: AccessRevoked): void {
		this.revokedListeners.push(fn);
	}

	/**
	 * Rate limited per account (failures) and per address (all attempts) with fixed windows:
	 * a flood is slowed, nobody is locked out for good. Unknown and known e-mails take the
	 * same path, the same time and get the same answer.
	 */
	async login(credentials: Credentials, address: string): Promise<LoginResult> {
		const accountKey = normalizeEmail(credentials.email);
		const wait = Math.max(this.perAccount.retryAfter(accountKey), this.perAddress.retryAfter(address));
		if (wait > 0) return { ok: false, reason: 'rate_limited', retryAfterMs: wait };
		this.perAddress.hit(address);

		const found = this.users.findForLogin(accountKey);
		const valid = await verifyPassword(found?.passwordHash ?? null, credentials.password);
		if (!found || !valid || !found.user.active) {
			this.perAccount.hit(accountKey);
			return { ok: false, reason: 'invalid' };
		}
		this.perAccount.reset(accountKey);
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

	/** Sets a new password and ends every session of that user. */
	async resetPassword(userId: string, password: string): Promise<boolean> {
		const ok = this.users.setPassword(userId, await hashPassword(password));
		if (ok) this.sessions.invalidateUser(userId);
		return ok;
	}

	/** Deactivation ends the user's sessions and closes their sync sockets. */
	setActive(userId: string, active: boolean): boolean {
		const ok = this.db.transaction(() => {
			const changed = this.users.setActive(userId, active);
			if (changed && !active) this.sessions.invalidateUser(userId);
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
	async bootstrapAdmin(email: string, password: string): Promise<boolean> {
		if (!this.needsSetup()) return false;
		const name = email.split('@')[0] || 'Admin';
		return (await this.createStaff({ email: normalizeEmail(email), name, role: 'admin', password })).ok;
	}

	/** A fresh one-time set-up token (earlier ones stop working); only its hash is stored. */
	issueSetupToken(): string {
		const token = generateSessionToken();
		this.db.transaction(() => {
			this.db.prepare('DELETE FROM setup_tokens').run();
			this.db
				.prepare('INSERT INTO setup_tokens (token_hash, created_at) VALUES (?, ?)')
				.run(hashToken(token), Date.now());
		})();
		return token;
	}

	isValidSetupToken(token: string): boolean {
		if (!this.needsSetup()) return false;
		return !!this.db.prepare('SELECT 1 FROM setup_tokens WHERE token_hash = ?').get(hashToken(token));
	}

	/** Uses the set-up token once to create the first admin. */
	async completeSetup(token: string, input: Omit<NewStaff, 'role'>): Promise<User | null> {
		if (!this.isValidSetupToken(token)) return null;
		const passwordHash = await hashPassword(input.password);
		return this.db.transaction(() => {
			// Re-checked inside the transaction: two tabs racing cannot both create an admin.
			const used = this.db.prepare('DELETE FROM setup_tokens WHERE token_hash = ?').run(hashToken(token)).changes;
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
