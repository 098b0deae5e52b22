/**
 * Staff sign-in against the real server: sessions, the security basics of issue
 * "Foundation" §6, and the staff admin actions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './helpers/http.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;

beforeAll(async () => {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000' });
});
afterAll(async () => {
	await server?.stop();
});

async function addStaff(admin: Client, email: string, password: string, role = 'staff', name = 'Sam Staff') {
	const res = await admin.postForm('/admin/staff?/create', { name, email, role, password });
	expect(res.status).toBe(200);
	return res;
}

async function adminClient(): Promise<Client> {
	const admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	return admin;
}

describe('sign-in and sessions', () => {
	it('signs in with the right password: HttpOnly, SameSite=Lax session cookie, redirect to the app', async () => {
		const c = new Client(server.url);
		const res = await c.login(ADMIN.email, ADMIN.password);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/');
		const cookie = res.headers.getSetCookie().find((s) => s.startsWith('fieldbook_session='))!;
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		expect(cookie).not.toMatch(/Secure/i); // plain http on loopback
		const me = await c.request('/api/session');
		expect(me.status).toBe(200);
		expect(((await me.json()) as { user: { email: string; role: string } }).user).toMatchObject({
			email: ADMIN.email,
			role: 'admin'
		});
	});

	it('sends a signed-out visitor of a staff page to the sign-in page', async () => {
		const res = await new Client(server.url).request('/admin/staff');
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/login?redirectTo=%2Fadmin%2Fstaff');
	});

	it('gives a fresh session id at every sign-in and ends the one the request came with', async () => {
		const c = await adminClient();
		const first = c.sessionToken!;
		expect((await c.login(ADMIN.email, ADMIN.password)).status).toBe(303);
		const second = c.sessionToken!;
		expect(second).not.toBe(first);
		const old = new Client(server.url);
		old.cookies.set('fieldbook_session', first);
		expect((await old.request('/api/session')).status).toBe(401);
	});

	it('sign-out ends the session on the server, not just in the browser', async () => {
		const c = await adminClient();
		const token = c.sessionToken!;
		expect((await c.postForm('/logout', {})).status).toBe(303);
		const replay = new Client(server.url);
		replay.cookies.set('fieldbook_session', token);
		expect((await replay.request('/api/session')).status).toBe(401);
	});
});

describe('security basics', () => {
	it('answers an unknown e-mail exactly as a wrong password for a known one', async () => {
		const known = await new Client(server.url).postJson('/api/session', {
			email: ADMIN.email,
			password: 'wrong-password'
		});
		const unknown = await new Client(server.url).postJson('/api/session', {
			email: 'nobody@example.com',
			password: 'wrong-password'
		});
		expect(known.status).toBe(401);
		expect(unknown.status).toBe(known.status);
		expect(await unknown.json()).toEqual(await known.json());

		const formKnown = await new Client(server.url).login('someone-else@example.com', 'x-wrong-1');
		const formUnknown = await new Client(server.url).login('nobody-else@example.com', 'x-wrong-1');
		expect(formKnown.status).toBe(400);
		expect(formUnknown.status).toBe(400);
		expect(await formUnknown.text()).toContain('Incorrect e-mail or password.');
	});

	it.each([
		['empty strings', { email: '', password: '' }],
		['missing password', { email: ADMIN.email }],
		['missing e-mail', { password: ADMIN.password }],
		['null password', { email: ADMIN.email, password: null }],
		['null e-mail', { email: null, password: ADMIN.password }],
		['array password', { email: ADMIN.email, password: [ADMIN.password] }],
		['array e-mail', { email: [ADMIN.email], password: ADMIN.password }],
		['object password', { email: ADMIN.email, password: { $ne: '' } }],
		['boolean password', { email: ADMIN.email, password: true }],
		['body is an array', [ADMIN.email, ADMIN.password]],
		['body is null', null]
	])('refuses %s as credentials (CVE-2025-60375 class) without signing in', async (_name, body) => {
		const c = new Client(server.url);
		const res = await c.postJson('/api/session', body);
		expect(res.status).toBe(400);
		expect(((await res.json()) as { error: string }).error).toBe('invalid_input');
		expect(c.sessionToken).toBeUndefined();
	});

	it('refuses malformed JSON with a clear error', async () => {
		const res = await new Client(server.url).postJson('/api/session', '{"email":');
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ error: 'invalid_json' });
	});

	it('refuses empty, missing and repeated form fields', async () => {
		const c = new Client(server.url);
		expect((await c.postForm('/login', { email: '', password: '' })).status).toBe(400);
		expect((await c.postForm('/login', { email: ADMIN.email })).status).toBe(400);
		// A repeated field is an array on the server, never "the first value".
		expect((await c.postForm('/login', { email: ADMIN.email, password: ['x', ADMIN.password] })).status).toBe(400);
		expect(c.sessionToken).toBeUndefined();
	});

	it('refuses a password over 1 KB before hashing it', async () => {
		const c = new Client(server.url);
		const started = performance.now();
		const res = await c.postJson('/api/session', { email: 'long@example.com', password: 'é'.repeat(600) });
		expect(res.status).toBe(400);
		expect(await res.json()).toMatchObject({ error: 'invalid_input', fields: { password: 'too_long' } });
		// Correctness, not speed: no argon2 run means far below one hash (~50 ms); generous bound.
		expect(performance.now() - started).toBeLessThan(2000);
	});

	it("keeps SvelteKit's CSRF origin check: a form post from another site is refused", async () => {
		const c = new Client(server.url);
		const res = await c.postForm(
			'/login',
			{ email: ADMIN.email, password: ADMIN.password },
			{ origin: 'https://evil.example' }
		);
		expect(res.status).toBe(403);
		expect(c.sessionToken).toBeUndefined();
	});

	it('sends security headers and a CSP on pages', async () => {
		const res = await new Client(server.url).request('/login');
		expect(res.status).toBe(200);
		const csp = res.headers.get('content-security-policy') ?? '';
		expect(csp).toContain("default-src 'self'");
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).toContain("object-src 'none'");
		expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		expect(res.headers.get('x-frame-options')).toBe('DENY');
		expect(res.headers.get('referrer-policy')).toBe('same-origin');
	});
});

describe('staff administration', () => {
	it('an admin adds staff; the new user signs in with the initial password as staff', async () => {
		const admin = await adminClient();
		await addStaff(admin, 'new.staff@example.com', 'initial-password', 'staff', 'New Staff');
		expect(await admin.staffId('new.staff@example.com')).toMatch(/^[0-9a-f-]{36}$/);
		const staff = new Client(server.url);
		expect((await staff.login('NEW.Staff@example.com ', 'initial-password')).status).toBe(303);
		const me = (await (await staff.request('/api/session')).json()) as { user: { role: string } };
		expect(me.user.role).toBe('staff');
	});

	it('refuses a second account with the same e-mail (case-insensitive) and keeps the first', async () => {
		const admin = await adminClient();
		await addStaff(admin, 'twice@example.com', 'first-password');
		const res = await admin.postForm('/admin/staff?/create', {
			name: 'Other',
			email: 'TWICE@example.com',
			role: 'staff',
			password: 'second-password'
		});
		expect(res.status).toBe(409);
		expect((await new Client(server.url).login('twice@example.com', 'first-password')).status).toBe(303);
	});

	it('a staff user cannot use the admin actions', async () => {
		const admin = await adminClient();
		await addStaff(admin, 'plain@example.com', 'plain-password');
		const staff = new Client(server.url);
		await staff.login('plain@example.com', 'plain-password');
		expect((await staff.request('/api/staff')).status).toBe(403);
		const res = await staff.postForm('/admin/staff?/create', {
			name: 'Sneaky',
			email: 'sneaky@example.com',
			role: 'admin',
			password: 'sneaky-password'
		});
		expect(res.status).toBe(403);
		expect((await new Client(server.url).login('sneaky@example.com', 'sneaky-password')).status).toBe(400);
	});

	it('[§2] every staff user reads the staff directory (names for managers), without e-mails or roles', async () => {
		const admin = await adminClient();
		await addStaff(admin, 'directory@example.com', 'directory-password', 'staff', 'Dora Directory');
		const staff = new Client(server.url);
		await staff.login('directory@example.com', 'directory-password');
		const res = await staff.request('/api/staff/directory');
		expect(res.status).toBe(200);
		const { staff: list } = (await res.json()) as { staff: Record<string, unknown>[] };
		const id = await admin.staffId('directory@example.com');
		expect(list).toContainEqual({ id, name: 'Dora Directory', active: true });
		for (const entry of list) expect(Object.keys(entry).sort()).toEqual(['active', 'id', 'name']);
		expect((await new Client(server.url).request('/api/staff/directory')).status).toBe(401);
	});

	it('resetting a password ends the old sessions and only the new password works', async () => {
		const admin = await adminClient();
		await addStaff(admin, 'reset@example.com', 'old-password');
		const staff = new Client(server.url);
		await staff.login('reset@example.com', 'old-password');
		const id = await admin.staffId('reset@example.com');
		expect((await admin.postForm('/admin/staff?/resetPassword', { id, password: 'new-password' })).status).toBe(200);
		expect((await staff.request('/api/session')).status).toBe(401);
		expect((await new Client(server.url).login('reset@example.com', 'old-password')).status).toBe(400);
		expect((await new Client(server.url).login('reset@example.com', 'new-password')).status).toBe(303);
	});

	it('deactivation ends sessions and blocks sign-in; reactivation restores it', async () => {
		const admin = await adminClient();
		await addStaff(admin, 'leaver@example.com', 'leaver-password');
		const staff = new Client(server.url);
		await staff.login('leaver@example.com', 'leaver-password');
		const id = await admin.staffId('leaver@example.com');
		expect((await admin.postForm('/admin/staff?/deactivate', { id })).status).toBe(200);
		expect((await staff.request('/api/session')).status).toBe(401);
		const again = await new Client(server.url).login('leaver@example.com', 'leaver-password');
		expect(again.status).toBe(400);
		expect(await again.text()).toContain('Incorrect e-mail or password.');
		expect((await admin.postForm('/admin/staff?/reactivate', { id })).status).toBe(200);
		expect((await new Client(server.url).login('leaver@example.com', 'leaver-password')).status).toBe(303);
	});

	it('the last active admin cannot deactivate themselves', async () => {
		const admin = await adminClient();
		const me = (await (await admin.request('/api/session')).json()) as { user: { id: string } };
		expect((await admin.postForm('/admin/staff?/deactivate', { id: me.user.id })).status).toBe(409);
		expect((await admin.request('/api/session')).status).toBe(200);
	});
});
