import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from './db.ts';
import { generateSessionToken, SESSION_TTL_MS, sessionIdFromToken, SessionStore } from './sessions.ts';
import { type User, UserStore } from './users.ts';

const DAY = 24 * 3600 * 1000;

let dir: string;
let db: Db;
let t: number;
let users: UserStore;
let sessions: SessionStore;

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-sessions-'));
	db = openDatabase(path.join(dir, 'fieldbook.db'));
	t = Date.UTC(2025, 0, 1);
	const now = () => t;
	users = new UserStore(db, now);
	sessions = new SessionStore(db, now);
});

afterEach(() => {
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

let seq = 0;
/** A staff user; sessions never look at the password hash, so a placeholder does. */
function makeUser(overrides: Partial<{ email: string; name: string; role: 'admin' | 'staff' }> = {}): User {
	seq++;
	return users.create({
		email: `user${seq}@example.com`,
		name: `User ${seq}`,
		role: 'staff',
		passwordHash: 'not-a-real-hash',
		...overrides
	});
}

function storedExpiry(token: string): number | undefined {
	const row = db.prepare('SELECT expires_at FROM sessions WHERE id = ?').get(sessionIdFromToken(token)) as
		{ expires_at: number } | undefined;
	return row?.expires_at;
}

describe('session tokens', () => {
	it('are 32 lower-case base32 characters (160 random bits), different every time', () => {
		const tokens = new Set(Array.from({ length: 50 }, generateSessionToken));
		expect(tokens.size).toBe(50);
		for (const token of tokens) expect(token).toMatch(/^[a-z2-7]{32}$/);
	});

	it('the session id is the SHA-256 of the token in hex', () => {
		// SHA-256("abc"), FIPS 180-2 appendix B.1.
		expect(sessionIdFromToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});
});

describe('SessionStore', () => {
	it('stores only the SHA-256 of the token, never the token itself', () => {
		const user = makeUser();
		const token = generateSessionToken();
		const session = sessions.create(token, user.id);
		expect(session.id).toBe(sessionIdFromToken(token));
		expect(session.id).toMatch(/^[0-9a-f]{64}$/);
		const rows = db.prepare('SELECT * FROM sessions').all();
		expect(rows).toHaveLength(1);
		expect(JSON.stringify(rows)).not.toContain(token);
	});

	it('a new session lasts 30 days', () => {
		const session = sessions.create(generateSessionToken(), makeUser().id);
		expect(session.expiresAt).toBe(t + 30 * DAY);
		expect(SESSION_TTL_MS).toBe(30 * DAY);
	});

	it('validate returns the session and its user', () => {
		const user = makeUser({ email: 'ana@example.com', name: 'Ana', role: 'admin' });
		const token = generateSessionToken();
		sessions.create(token, user.id);
		const result = sessions.validate(token);
		expect(result?.user).toEqual(user);
		expect(result?.session).toEqual({ id: sessionIdFromToken(token), userId: user.id, expiresAt: t + 30 * DAY });
	});

	it('each token opens only its own session', () => {
		const ana = makeUser();
		const ben = makeUser();
		const anaToken = generateSessionToken();
		const benToken = generateSessionToken();
		sessions.create(anaToken, ana.id);
		sessions.create(benToken, ben.id);
		expect(sessions.validate(anaToken)?.user.id).toBe(ana.id);
		expect(sessions.validate(benToken)?.user.id).toBe(ben.id);
	});

	it.each([
		['an empty string', ''],
		['a token that was never issued', 'a'.repeat(32)],
		['upper case', generateSessionToken().toUpperCase()],
		['too short', 'abc'],
		['too long', 'a'.repeat(33)],
		['SQL', "' OR 1=1 --"]
	])('a garbage token (%s) gives no session', (_what, token) => {
		sessions.create(generateSessionToken(), makeUser().id);
		expect(sessions.validate(token)).toBeNull();
	});

	it('the stored session id does not work as a token', () => {
		const token = generateSessionToken();
		const { id } = sessions.create(token, makeUser().id);
		expect(sessions.validate(id)).toBeNull();
	});

	it('an expired session gives no user and is deleted', () => {
		const token = generateSessionToken();
		sessions.create(token, makeUser().id);
		t += 30 * DAY;
		expect(sessions.validate(token)).toBeNull();
		expect(storedExpiry(token)).toBeUndefined();
		// And it stays gone even if the clock went back.
		t -= DAY;
		expect(sessions.validate(token)).toBeNull();
	});

	it('sliding expiry: a session used before day 15 keeps its expiry', () => {
		const token = generateSessionToken();
		const { expiresAt } = sessions.create(token, makeUser().id);
		t += 15 * DAY - 1;
		expect(sessions.validate(token)?.session.expiresAt).toBe(expiresAt);
		expect(storedExpiry(token)).toBe(expiresAt);
	});

	it('sliding expiry: a session used after day 15 is extended to 30 days from now', () => {
		const token = generateSessionToken();
		sessions.create(token, makeUser().id);
		t += 15 * DAY + 1;
		expect(sessions.validate(token)?.session.expiresAt).toBe(t + 30 * DAY);
		expect(storedExpiry(token)).toBe(t + 30 * DAY);
	});

	it('sliding expiry: field staff who sign in every few weeks stay signed in up to the absolute lifetime', () => {
		const token = generateSessionToken();
		sessions.create(token, makeUser().id);
		for (let i = 0; i < 3; i++) {
			t += 29 * DAY;
			expect(sessions.validate(token)).not.toBeNull();
		}
		// 87 days in: extended only to the 90-day deadline, never past it.
		const deadline = t - 87 * DAY + 90 * DAY;
		expect(storedExpiry(token)).toBe(deadline);
		t = deadline - 1;
		expect(sessions.validate(token)).not.toBeNull();
		t = deadline;
		expect(sessions.validate(token)).toBeNull();
	});

	it('[§8] a session has an absolute lifetime from sign-in (SESSION_MAX_AGE_MS), however often it is used', () => {
		sessions = new SessionStore(db, () => t, 10 * DAY);
		const token = generateSessionToken();
		const { id } = sessions.create(token, makeUser().id);
		expect(storedExpiry(token)).toBe(t + 10 * DAY);
		for (let i = 0; i < 9; i++) {
			t += DAY;
			expect(sessions.validate(token)).not.toBeNull();
		}
		expect(sessions.expiresAt(id)).toBe(t + DAY);
		t += DAY;
		expect(sessions.validate(token)).toBeNull();
		expect(sessions.expiresAt(id)).toBeNull();
	});

	it('every way a session ends is announced (the sync server closes its sockets on it)', () => {
		const ended: unknown[] = [];
		sessions.onEnded((e) => ended.push(e));
		const user = makeUser();
		const a = sessions.create(generateSessionToken(), user.id);
		sessions.invalidate(a.id);
		sessions.invalidateUser(user.id);
		const expiring = generateSessionToken();
		const b = sessions.create(expiring, user.id);
		t += 31 * DAY;
		expect(sessions.validate(expiring)).toBeNull();
		const c = sessions.create(generateSessionToken(), user.id);
		t += 31 * DAY;
		expect(sessions.deleteExpired()).toBe(1);
		expect(ended).toEqual([{ sessionId: a.id }, { userId: user.id }, { sessionId: b.id }, { sessionId: c.id }]);
	});

	it('invalidate ends one session', () => {
		const user = makeUser();
		const a = generateSessionToken();
		const b = generateSessionToken();
		const session = sessions.create(a, user.id);
		sessions.create(b, user.id);
		sessions.invalidate(session.id);
		expect(sessions.validate(a)).toBeNull();
		expect(sessions.validate(b)?.user.id).toBe(user.id);
	});

	it('invalidateUser ends every session of that user and no one else', () => {
		const ana = makeUser();
		const ben = makeUser();
		const ana1 = generateSessionToken();
		const ana2 = generateSessionToken();
		const ben1 = generateSessionToken();
		sessions.create(ana1, ana.id);
		sessions.create(ana2, ana.id);
		sessions.create(ben1, ben.id);
		sessions.invalidateUser(ana.id);
		expect(sessions.validate(ana1)).toBeNull();
		expect(sessions.validate(ana2)).toBeNull();
		expect(sessions.validate(ben1)?.user.id).toBe(ben.id);
	});

	it("a deactivated user's session does not validate", () => {
		const user = makeUser();
		const token = generateSessionToken();
		sessions.create(token, user.id);
		users.setActive(user.id, false);
		expect(sessions.validate(token)).toBeNull();
	});

	it('deleteExpired removes only sessions past their expiry', () => {
		const user = makeUser();
		const old = generateSessionToken();
		sessions.create(old, user.id);
		t += 20 * DAY;
		const recent = generateSessionToken();
		sessions.create(recent, user.id);
		t += 10 * DAY;
		expect(sessions.deleteExpired()).toBe(1);
		expect(storedExpiry(old)).toBeUndefined();
		expect(sessions.validate(recent)?.user.id).toBe(user.id);
	});
});
