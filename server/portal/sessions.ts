/**
 * Sessions of customer contacts in the portal (issue #12): a kind of their own, in their own
 * table and cookie, so a contact's session can never stand for a staff user or the other way
 * round. Tokens as for staff (server/sessions.ts, the Lucia guide): random to the client,
 * SHA-256 stored. Sliding expiry of 7 days within an absolute lifetime of 30 days — a portal
 * is visited now and then, not worked in offline for days as the staff app is.
 *
 * Validation runs on every request against the projection, so a session ends at once when
 * its contact is deleted, its customer is deleted, its e-mail changes, its portal password
 * is set again, or its address turns out to be shared by another live contact (SPEC §2):
 * no listener has to remember to end it, whichever way the change arrived.
 */
import type { Db } from '../db.ts';
import { sessionIdFromToken } from '../sessions.ts';
import { readPortalContact, signInContact, type PortalContact } from './contacts.ts';

export const PORTAL_SESSION_COOKIE = 'fieldbook_portal';
export const PORTAL_SESSION_TTL_MS = 7 * 24 * 3600 * 1000;
export const PORTAL_SESSION_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

export interface PortalSession {
	id: string;
	contactId: string;
	customerId: string;
	expiresAt: number;
}

/** What a contact signed in with; the session lives only while the projection still says so. */
export interface SignedInAs {
	contactId: string;
	customerId: string;
	emailKey: string;
	/** contact_credentials.updated_at of the password that was checked. */
	credentialAt: number;
}

interface SessionRow {
	contact_id: string;
	customer_id: string;
	email_key: string;
	credential_at: number;
	expires_at: number;
	created_at: number;
}

/** The same alphabet and length as generateSessionToken makes (base32, 20 bytes). */
const TOKEN_RE = /^[a-z2-7]{32}$/;

export class PortalSessionStore {
	constructor(
		private readonly db: Db,
		private readonly now: () => number = Date.now,
		readonly ttlMs: number = PORTAL_SESSION_TTL_MS,
		readonly maxAgeMs: number = PORTAL_SESSION_MAX_AGE_MS
	) {}

	create(token: string, as: SignedInAs): PortalSession {
		const now = this.now();
		const session: PortalSession = {
			id: sessionIdFromToken(token),
			contactId: as.contactId,
			customerId: as.customerId,
			expiresAt: now + Math.min(this.ttlMs, this.maxAgeMs)
		};
		this.db
			.prepare(
				`INSERT INTO portal_sessions (id, contact_id, customer_id, email_key, credential_at, expires_at, created_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?)`
			)
			.run(session.id, as.contactId, as.customerId, as.emailKey, as.credentialAt, session.expiresAt, now);
		return session;
	}

	/**
	 * The session and its contact as the projection holds them now, or null (and the session
	 * row removed) when anything the sign-in rested on has changed. Extends the session when
	 * used in the second half of its life, never past the absolute lifetime.
	 */
	validate(token: unknown): { session: PortalSession; contact: PortalContact } | null {
		if (typeof token !== 'string' || !TOKEN_RE.test(token)) return null;
		const id = sessionIdFromToken(token);
		const row = this.db
			.prepare(
				'SELECT contact_id, customer_id, email_key, credential_at, expires_at, created_at FROM portal_sessions WHERE id = ?'
			)
			.get(id) as SessionRow | undefined;
		if (!row) return null;
		const now = this.now();
		const deadline = row.created_at + this.maxAgeMs;
		const session: PortalSession = {
			id,
			contactId: row.contact_id,
			customerId: row.customer_id,
			expiresAt: Math.min(row.expires_at, deadline)
		};
		// The rule of sign-in, asked again: the address still leads to this contact alone (live,
		// customer live, not shared, e-mail unchanged) with the password it signed in with.
		const still = now < session.expiresAt ? signInContact(this.db, row.email_key) : null;
		const contact =
			still && still.contactId === row.contact_id && still.customerId === row.customer_id
				? readPortalContact(this.db, row.contact_id)
				: null;
		if (!contact || contact.credentialAt !== row.credential_at || contact.emailKey !== row.email_key) {
			this.invalidate(id);
			return null;
		}
		if (now >= session.expiresAt - this.ttlMs / 2 && session.expiresAt < deadline) {
			session.expiresAt = Math.min(now + this.ttlMs, deadline);
			this.db.prepare('UPDATE portal_sessions SET expires_at = ? WHERE id = ?').run(session.expiresAt, id);
		}
		return { session, contact };
	}

	invalidate(sessionId: string): void {
		this.db.prepare('DELETE FROM portal_sessions WHERE id = ?').run(sessionId);
	}

	/** Removes sessions past their expiry or absolute lifetime; returns how many. */
	deleteExpired(): number {
		const now = this.now();
		return this.db
			.prepare('DELETE FROM portal_sessions WHERE expires_at <= ? OR created_at <= ?')
			.run(now, now - this.maxAgeMs).changes;
	}
}
