import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Auth, type AuthLimits } from './auth.ts';
import { type Db, openDatabase } from './db.ts';
import { hashPassword } from './password.ts';
import type { User } from './users.ts';

const LIMITS: AuthLimits = { loginMaxPerAccount: 3, loginMaxPerAddress: 100, loginWindowMs: 60_000 };
const PASSWORD = 'correct horse battery';
const ADDRESS = '203.0.113.7';

let dir: string;
let db: Db;
let t: number;
let auth: Auth;
// argon2 costs ~50 ms per call: hash the shared test password once.
let passwordHash: string;

beforeAll(async () => {
	passwordHash = await hashPassword(PASSWORD);
});

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-auth-'));
	db = openDatabase(path.join(dir, 'fieldbook.db'));
	t = Date.UTC(2025, 0, 1);
	auth = newAuth(LIMITS);
});

afterEach(() => {
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

function newAuth(limits: AuthLimits): Auth {
	return new Auth(db, limits, () => t);
}

/** A staff member whose password is PASSWORD. */
function makeUser(email = 'ana@example.com', role: 'admin' | 'staff' = 'staff'): User {
	return auth.users.create({ email, name: email.split('@')[0], role, passwordHash });
}

describe('Auth.login', () => {
	it('[§8] the right password gives a token whose session validates to that user', async () => {
		const user = makeUser();
		const result = await auth.login({ email: 'ana@example.com', password: PASSWORD }, ADDRESS);
		if (!result.ok) throw new Error(`login refused: ${result.reason}`);
		expect(result.user).toEqual(user);
		expect(auth.sessions.validate(result.token)?.user.id).toBe(user.id);
	});

	it('the e-mail is matched regardless of case and surrounding spaces', async () => {
		const user = makeUser();
		const result = await auth.login({ email: '  Ana@Example.COM ', password: PASSWORD }, ADDRESS);
		expect(result.ok && result.user.id).toBe(user.id);
	});

	it('[§8] wrong password, unknown e-mail and a deactivated account get the same generic answer', async () => {
		const user = makeUser();
		const wrongPassword = await auth.login({ email: 'ana@example.com', password: 'wrong password' }, ADDRESS);
		const unknownEmail = await auth.login({ email: 'nobody@example.com', password: PASSWORD }, ADDRESS);
		auth.setActive(user.id, false);
		const deactivated = await auth.login({ email: 'ana@example.com', password: PASSWORD }, ADDRESS);
		expect(wrongPassword).toEqual({ ok: false, reason: 'invalid' });
		expect(unknownEmail).toEqual(wrongPassword);
		expect(deactivated).toEqual(wrongPassword);
	});

	it('[§8] after 3 failures even the right password is refused until the window has passed', async () => {
		makeUser();
		for (let i = 0; i < 3; i++) {
			expect(await auth.login({ email: 'ana@example.com', password: 'guess ' + i }, ADDRESS)).toMatchObject({
				reason: 'invalid'
			});
		}
		t += 10_000;
		expect(await auth.login({ email: 'ana@example.com', password: PASSWORD }, ADDRESS)).toEqual({
			ok: false,
			reason: 'rate_limited',
			retryAfterMs: 50_000
		});
		t += 50_000;
		expect((await auth.login({ email: 'ana@example.com', password: PASSWORD }, ADDRESS)).ok).toBe(true);
	});

	it('[§8] guesses from other addresses never lock the owner out (failures count per account and address)', async () => {
		makeUser();
		for (let i = 0; i < 10; i++) {
			await auth.login(
				{ email: i % 2 ? 'ANA@example.com' : ' ana@example.com', password: 'guess ' + i },
				`198.51.100.${i}`
			);
		}
		// Three failures from one address (in any spelling) stop that address, for that account.
		await auth.login({ email: 'ana@example.com', password: 'guess a' }, '192.0.2.66');
		await auth.login({ email: 'Ana@Example.com', password: 'guess b' }, '192.0.2.66');
		await auth.login({ email: 'ana@example.com ', password: 'guess c' }, '192.0.2.66');
		expect(await auth.login({ email: 'ana@example.com', password: PASSWORD }, '192.0.2.66')).toMatchObject({
			ok: false,
			reason: 'rate_limited'
		});
		// The owner, from their own address, gets in.
		expect((await auth.login({ email: 'ana@example.com', password: PASSWORD }, ADDRESS)).ok).toBe(true);
	});

	it('[§8] an account guessed at from many addresses is slowed down for every attempt, never refused', async () => {
		auth = new Auth(
			db,
			{
				loginMaxPerAccount: 3,
				loginMaxPerAddress: 50,
				loginWindowMs: 60_000,
				loginSlowdownAfter: 5,
				loginSlowdownMs: 300
			},
			() => t
		);
		makeUser();
		const timed = async (password: string, address: string) => {
			const started = performance.now();
			const result = await auth.login({ email: 'ana@example.com', password }, address);
			return { result, ms: performance.now() - started };
		};
		const fast = await timed(PASSWORD, ADDRESS);
		expect(fast.result.ok).toBe(true);
		for (let i = 0; i < 5; i++) await timed('guess', `198.51.100.${i}`);
		const slowed = await timed(PASSWORD, ADDRESS);
		expect(slowed.result.ok).toBe(true);
		expect(slowed.ms).toBeGreaterThanOrEqual(290);
		t += 60_000; // the window ends: no more slowing down
		const after = await timed(PASSWORD, ADDRESS);
		expect(after.result.ok).toBe(true);
		expect(after.ms).toBeLessThan(slowed.ms);
	});

	it('a successful sign-in clears the failures counted so far', async () => {
		makeUser();
		await auth.login({ email: 'ana@example.com', password: 'typo 1' }, ADDRESS);
		await auth.login({ email: 'ana@example.com', password: 'typo 2' }, ADDRESS);
		expect((await auth.login({ email: 'ana@example.com', password: PASSWORD }, ADDRESS)).ok).toBe(true);
		await auth.login({ email: 'ana@example.com', password: 'typo 3' }, ADDRESS);
		await auth.login({ email: 'ana@example.com', password: 'typo 4' }, ADDRESS);
		expect((await auth.login({ email: 'ana@example.com', password: PASSWORD }, ADDRESS)).ok).toBe(true);
	});

	it("[§8] one account's failures do not lock out another account", async () => {
		makeUser('ana@example.com');
		makeUser('ben@example.com');
		for (let i = 0; i < 3; i++) await auth.login({ email: 'ana@example.com', password: 'guess' }, ADDRESS);
		expect((await auth.login({ email: 'ben@example.com', password: PASSWORD }, ADDRESS)).ok).toBe(true);
	});

	it('[§8] attempts are limited per address, counting every attempt, and other addresses carry on', async () => {
		auth = newAuth({ loginMaxPerAccount: 100, loginMaxPerAddress: 2, loginWindowMs: 60_000 });
		makeUser();
		const credentials = { email: 'ana@example.com', password: PASSWORD };
		expect((await auth.login(credentials, ADDRESS)).ok).toBe(true);
		expect((await auth.login({ email: 'other@example.com', password: 'x' }, ADDRESS)).ok).toBe(false);
		expect(await auth.login(credentials, ADDRESS)).toEqual({
			ok: false,
			reason: 'rate_limited',
			retryAfterMs: 60_000
		});
		expect((await auth.login(credentials, '198.51.100.9')).ok).toBe(true);
		t += 60_000;
		expect((await auth.login(credentials, ADDRESS)).ok).toBe(true);
	});

	it('logout ends that session only', async () => {
		makeUser();
		const first = await auth.login({ email: 'ana@example.com', password: PASSWORD }, ADDRESS);
		const second = await auth.login({ email: 'ana@example.com', password: PASSWORD }, ADDRESS);
		if (!first.ok || !second.ok) throw new Error('login refused');
		auth.logout(first.session.id);
		expect(auth.sessions.validate(first.token)).toBeNull();
		expect(auth.sessions.validate(second.token)).not.toBeNull();
	});
});

describe('staff administration', () => {
	it('deactivation ends the sessions and tells listeners to close the sync sockets', async () => {
		const ana = makeUser('ana@example.com');
		makeUser('ben@example.com');
		const anaLogin = await auth.login({ email: 'ana@example.com', password: PASSWORD }, ADDRESS);
		const benLogin = await auth.login({ email: 'ben@example.com', password: PASSWORD }, ADDRESS);
		if (!anaLogin.ok || !benLogin.ok) throw new Error('login refused');
		const revoked: string[] = [];
		auth.onAccessRevoked((id) => revoked.push(id));

		expect(auth.setActive(ana.id, false)).toBe(true);
		expect(revoked).toEqual([ana.id]);
		expect(auth.sessions.validate(anaLogin.token)).toBeNull();
		expect(auth.sessions.validate(benLogin.token)).not.toBeNull();

		// Reactivating lets the user sign in again; it revokes nothing and revives no old session.
		expect(auth.setActive(ana.id, true)).toBe(true);
		expect(revoked).toEqual([ana.id]);
		expect(auth.sessions.validate(anaLogin.token)).toBeNull();
		expect((await auth.login({ email: 'ana@example.com', password: PASSWORD }, ADDRESS)).ok).toBe(true);
	});

	it('deactivating an unknown user changes nothing and revokes nothing', () => {
		const revoked: string[] = [];
		auth.onAccessRevoked((id) => revoked.push(id));
		expect(auth.setActive('no-such-user', false)).toBe(false);
		expect(revoked).toEqual([]);
	});

	it('a password reset ends every session; only the new password signs in', async () => {
		const ana = makeUser();
		const before = await auth.login({ email: 'ana@example.com', password: PASSWORD }, ADDRESS);
		if (!before.ok) throw new Error('login refused');
		expect(await auth.resetPassword(ana.id, 'a brand new password')).toBe(true);
		expect(auth.sessions.validate(before.token)).toBeNull();
		expect((await auth.login({ email: 'ana@example.com', password: PASSWORD }, ADDRESS)).ok).toBe(false);
		expect((await auth.login({ email: 'ana@example.com', password: 'a brand new password' }, ADDRESS)).ok).toBe(true);
	});

	it('a second staff member with the same e-mail in another case is refused', async () => {
		makeUser('ana@example.com');
		const result = await auth.createStaff({
			name: 'Ana Again',
			email: 'ANA@example.com',
			role: 'staff',
			password: PASSWORD
		});
		expect(result).toEqual({ ok: false, reason: 'email_taken' });
		expect(auth.users.count()).toBe(1);
	});

	it('the only active admin is the last active admin; with two, neither is', () => {
		const admin = makeUser('admin@example.com', 'admin');
		const staff = makeUser('staff@example.com', 'staff');
		expect(auth.isLastActiveAdmin(admin.id)).toBe(true);
		expect(auth.isLastActiveAdmin(staff.id)).toBe(false);
		makeUser('admin2@example.com', 'admin');
		expect(auth.isLastActiveAdmin(admin.id)).toBe(false);
	});
});

describe('first start', () => {
	it('a set-up token creates the first admin once; the same token cannot be used again', async () => {
		expect(auth.needsSetup()).toBe(true);
		const token = auth.issueSetupToken();
		expect(auth.isValidSetupToken(token)).toBe(true);

		const admin = await auth.completeSetup(token, { name: 'Ana', email: 'ana@example.com', password: PASSWORD });
		expect(admin).toMatchObject({ name: 'Ana', email: 'ana@example.com', role: 'admin', active: true });
		expect(auth.needsSetup()).toBe(false);
		expect((await auth.login({ email: 'ana@example.com', password: PASSWORD }, ADDRESS)).ok).toBe(true);

		expect(await auth.completeSetup(token, { name: 'Eve', email: 'eve@example.com', password: PASSWORD })).toBeNull();
		expect(auth.users.count()).toBe(1);
	});

	it('once any user exists, set-up tokens are invalid, even newly issued ones', async () => {
		const early = auth.issueSetupToken();
		makeUser();
		expect(auth.isValidSetupToken(early)).toBe(false);
		const late = auth.issueSetupToken();
		expect(auth.isValidSetupToken(late)).toBe(false);
		expect(await auth.completeSetup(late, { name: 'Eve', email: 'eve@example.com', password: PASSWORD })).toBeNull();
		expect(auth.users.list().map((u) => u.email)).toEqual(['ana@example.com']);
	});

	it('issuing a new set-up token invalidates the earlier one; made-up tokens are invalid', () => {
		const first = auth.issueSetupToken();
		const second = auth.issueSetupToken();
		expect(auth.isValidSetupToken(first)).toBe(false);
		expect(auth.isValidSetupToken(second)).toBe(true);
		expect(auth.isValidSetupToken('')).toBe(false);
		expect(auth.isValidSetupToken('a'.repeat(32))).toBe(false);
	});

	it('[§8] a set-up link expires 24 hours after it was issued (a restart issues a new one)', async () => {
		const token = auth.issueSetupToken();
		t += 24 * 3600_000 - 1;
		expect(auth.isValidSetupToken(token)).toBe(true);
		t += 1;
		expect(auth.isValidSetupToken(token)).toBe(false);
		expect(await auth.completeSetup(token, { name: 'Late', email: 'late@example.com', password: PASSWORD })).toBeNull();
		const fresh = auth.issueSetupToken();
		expect(auth.isValidSetupToken(fresh)).toBe(true);
	});

	it('only the hash of the set-up token is stored', () => {
		const token = auth.issueSetupToken();
		expect(JSON.stringify(db.prepare('SELECT * FROM setup_tokens').all())).not.toContain(token);
	});

	it('bootstrapAdmin creates an admin on an empty database, and only there', async () => {
		expect(await auth.bootstrapAdmin('Admin@Example.com', PASSWORD)).toBe(true);
		const [admin] = auth.users.list();
		expect(admin).toMatchObject({ email: 'admin@example.com', role: 'admin', active: true });
		expect((await auth.login({ email: 'admin@example.com', password: PASSWORD }, ADDRESS)).ok).toBe(true);

		// A restart with ADMIN_EMAIL/ADMIN_PASSWORD still set (or changed) creates nothing more.
		expect(await auth.bootstrapAdmin('other@example.com', 'another password')).toBe(false);
		expect(auth.users.count()).toBe(1);
		expect((await auth.login({ email: 'admin@example.com', password: PASSWORD }, ADDRESS)).ok).toBe(true);
	});

	it('bootstrapAdmin does nothing when staff exist already', async () => {
		makeUser('staff@example.com', 'staff');
		expect(await auth.bootstrapAdmin('admin@example.com', PASSWORD)).toBe(false);
		expect(auth.users.list().map((u) => u.email)).toEqual(['staff@example.com']);
	});
});
