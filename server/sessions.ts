/**
 * Sessions as the Lucia guide teaches them: a random token goes to the client in a cookie,
 * only its SHA-256 is stored. Sliding expiry of 30 days (field staff stay offline for days):
 * a session used in its second half is extended, but never past an absolute lifetime from
 * sign-in (SESSION_MAX_AGE_MS, 90 days by default).
 *
 * Every way a session ends (sign-out, expiry, a password reset, deactivation) is announced to
 * `onEnded` listeners: the sync server closes that session's sockets (4401).
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Db } from './db.ts';
import type { User } from './users.ts';
import { rowToUser, type UserRow } from './users.ts';

export const SESSION_COOKIE = 'fieldbook_session';
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
/** Default absolute lifetime of a session from sign-in, however often it is used. */
export const SESSION_MAX_AGE_MS = 90 * 24 * 3600 * 1000;

/** A session ended: one session (sign-out, expiry) or every session of a user (reset, deactivation). */
export type SessionEnd = { sessionId: string } | { userId: string };

export interface Session {
	id: string;
	userId: string;
	expiresAt: number;
}

export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export class SessionStore {
	private readonly endedListeners: ((end: SessionEnd) => void)[] = [];

	constructor(
		private readonly db: Db,
		private readonly now: () => number = Date.now,
		/** Absolute lifetime from sign-in (ms). */
		readonly maxAgeMs: number = SESSION_MAX_AGE_MS
	) {}

	/** Called after a session (or all of a user's) ended, whichever way. */
	onEnded(fn: (end: SessionEnd) => void): void {
		this.endedListeners.push(fn);
	}

	private ended(end: SessionEnd): void {
		for (const fn of this.endedListeners) {
			try {
				fn(end);
			} catch (e) {
				console.error('sessions: a listener failed:', e);
			}
		}
	}

	create(token: string, userId: string): Session {
		const now = this.now();
		const session = {
			id: sessionIdFromToken(token),
			userId,
			expiresAt: Math.min(now + SESSION_TTL_MS, now + this.maxAgeMs)
		};
		this.db
			.prepare('INSERT INTO sessions (id, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)')
			.run(session.id, userId, session.expiresAt, now);
		return session;
	}

	/** The session and its (active) user, or null. Extends the session when past half its life. */
	validate(token: string): { session: Session; user: User } | null {
		if (!/^[a-z2-7]{32}$/.test(token)) return null;
		return this.validateId(sessionIdFromToken(token));
	}

	/** As validate, by the session's id (the sync server re-checks open sockets this way). */
	validateId(id: string): { session: Session; user: User } | null {
		const row = this.db
			.prepare(
				`SELECT s.expires_at AS session_expires_at, s.created_at AS session_created_at, u.*
				 FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ? AND u.active = 1`
			)
			.get(id) as (UserRow & { session_expires_at: number; session_created_at: number }) | undefined;
		if (!row) return null;
		const now = this.now();
		const deadline = row.session_created_at + this.maxAgeMs;
		const session: Session = { id, userId: row.id, expiresAt: Math.min(row.session_expires_at, deadline) };
		if (now >= session.expiresAt) {
			this.invalidate(id);
			return null;
		}
		if (now >= session.expiresAt - SESSION_TTL_MS / 2 && session.expiresAt < deadline) {
			session.expiresAt = Math.min(now + SESSION_TTL_MS, deadline);
			this.db.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?').run(session.expiresAt, id);
		}
		return { session, user: rowToUser(row) };
	}

	/** When a session expires, or null when it has ended; unlike validate, never extends it. */
	expiresAt(id: string): number | null {
		const row = this.db
			.prepare(
				`SELECT s.expires_at, s.created_at FROM sessions s JOIN users u ON u.id = s.user_id
				 WHERE s.id = ? AND u.active = 1`
			)
			.get(id) as { expires_at: number; created_at: number } | undefined;
		if (!row) return null;
		const at = Math.min(row.expires_at, row.created_at + this.maxAgeMs);
		return at > this.now() ? at : null;
	}

	invalidate(sessionId: string): void {
		this.db.prepare('DELETE FROM sessions WHERE id = ?').run(sessionId);
		this.ended({ sessionId });
	}

	/** Ends every session of the user but `keepId` (a password change keeps the session it came from). */
	invalidateUserExcept(userId: string, keepId: string): void {
		const ids = this.db
			.prepare('SELECT id FROM sessions WHERE user_id = ? AND id <> ?')
			.pluck()
			.all(userId, keepId) as string[];
		for (const id of ids) this.invalidate(id);
	}

	invalidateUser(userId: string): void {
		this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
		this.ended({ userId });
	}

	/** Removes expired sessions (each announced, so any socket still open on one closes). */
	deleteExpired(): number {
		const now = this.now();
		const ids = this.db
			.prepare('SELECT id FROM sessions WHERE expires_at <= ? OR created_at <= ?')
			.pluck()
			.all(now, now - this.maxAgeMs) as string[];
		for (const id of ids) this.invalidate(id);
		return ids.length;
	}
}
