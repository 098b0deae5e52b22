/**
 * Sessions as the Lucia guide teaches them: a random token goes to the client in a cookie,
 * only its SHA-256 is stored. Sliding expiry of 30 days (field staff stay offline for days):
 * a session used in its second half is extended.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Db } from './db.ts';
import type { User } from './users.ts';
import { rowToUser, type UserRow } from './users.ts';

export const SESSION_COOKIE = 'fieldbook_session';
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

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
	constructor(
		private readonly db: Db,
		private readonly now: () => number = Date.now
	) {}

	create(token: string, userId: string): Session {
		const session = { id: sessionIdFromToken(token), userId, expiresAt: this.now() + SESSION_TTL_MS };
		this.db
			.prepare('INSERT INTO sessions (id, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)')
			.run(session.id, userId, session.expiresAt, this.now());
		return session;
	}

	/** The session and its (active) user, or null. Extends the session when past half its life. */
	validate(token: string): { session: Session; user: User } | null {
		if (!/^[a-z2-7]{32}$/.test(token)) return null;
		const id = sessionIdFromToken(token);
		const row = this.db
			.prepare(
				`SELECT s.expires_at AS session_expires_at, u.* FROM sessions s JOIN users u ON u.id = s.user_id
				 WHERE s.id = ? AND u.active = 1`
			)
			.get(id) as (UserRow & { session_expires_at: number }) | undefined;
		if (!row) return null;
		const now = this.now();
		const session: Session = { id, userId: row.id, expiresAt: row.session_expires_at };
		if (now >= session.expiresAt) {
			this.invalidate(id);
			return null;
		}
		if (now >= session.expiresAt - SESSION_TTL_MS / 2) {
			session.expiresAt = now + SESSION_TTL_MS;
			this.db.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?').run(session.expiresAt, id);
		}
		return { session, user: rowToUser(row) };
	}

	invalidate(sessionId: string): void {
		this.db.prepare('DELETE FROM sessions WHERE id = ?').run(sessionId);
	}

	invalidateUser(userId: string): void {
		this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
	}

	deleteExpired(): number {
		return this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(this.now()).changes;
	}
}
