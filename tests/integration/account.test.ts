/**
 * Issue #14 item 9 against the real server: a staff member changes their own password (the
 * current one required, every other session ends, the asking one stays), forged and malformed
 * requests are refused, and the first admin gets the name given at set-up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './helpers/http.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;

beforeAll(async () => {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000', ADMIN_NAME: 'Ada Lindqvist' });
});
afterAll(async () => {
	await server?.stop();
});

let counter = 0;
/** A fresh staff member, signed in on one client. */
async function staffMember(): Promise<{ email: string; password: string; client: Client }> {
	const admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	const email = `own-password-${++counter}-${Date.now()}@example.com`;
	const password = 'first-password-1';
	const res = await admin.postForm('/admin/staff?/create', { name: 'Olga Own', email, role: 'staff', password });
	expect(res.status).toBe(200);
	const client = new Client(server.url);
	expect((await client.login(email, password)).status).toBe(303);
	return { email, password, client };
}

const change = (c: Client, current: string, next: string, init: { origin?: string | null } = {}) =>
	c.postForm('/account?/password', { current, next }, init);

const signedIn = async (c: Client) => (await c.request('/api/session')).status === 200;

describe('[§1] item 9: staff change their own password', () => {
	it('with the current password: the password changes, other sessions end, this one stays', async () => {
		const { email, password, client } = await staffMember();
		const phone = new Client(server.url);
		expect((await phone.login(email, password)).status).toBe(303);
		expect(await signedIn(phone)).toBe(true);

		const res = await change(client, password, 'second-password-2');
		expect(res.status).toBe(200);
		expect(await signedIn(client)).toBe(true);
		expect(await signedIn(phone)).toBe(false);
		expect((await new Client(server.url).login(email, password)).status).toBe(400);
		expect((await new Client(server.url).login(email, 'second-password-2')).status).toBe(303);
	});

	it('a wrong current password changes nothing and ends no session', async () => {
		const { email, password, client } = await staffMember();
		const phone = new Client(server.url);
		expect((await phone.login(email, password)).status).toBe(303);
		const res = await change(client, 'not-my-password', 'second-password-2');
		expect(res.status).toBe(400);
		// What the page's script reads: the reason, shown as "The current password is not correct."
		const seen = await client.request('/account?/password', {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-sveltekit-action': 'true' },
			body: new URLSearchParams({ current: 'not-my-password', next: 'second-password-2' })
		});
		expect(await seen.text()).toContain('wrong_password');
		expect(await signedIn(phone)).toBe(true);
		expect((await new Client(server.url).login(email, password)).status).toBe(303);
	});

	it('guessing the current password is rate limited like sign-in', async () => {
		const { password, client } = await staffMember();
		let last = 0;
		for (let i = 0; i < 11; i++) last = (await change(client, `guess-${i}-wrong`, 'second-password-2')).status;
		expect(last).toBe(429);
		// Even the right password waits now: the limit holds however the guesses end.
		expect((await change(client, password, 'second-password-2')).status).toBe(429);
	});

	it('a new password that breaks the rules is refused, the old one still works', async () => {
		const { email, password, client } = await staffMember();
		const res = await change(client, password, 'short');
		expect(res.status).toBe(400);
		expect(await signedIn(client)).toBe(true);
		expect((await new Client(server.url).login(email, password)).status).toBe(303);
	});

	it('forged and malformed requests: foreign or missing Origin 403, not a form 400, no session → sign-in', async () => {
		const { email, password, client } = await staffMember();
		expect((await change(client, password, 'forged-password-9', { origin: 'https://evil.example' })).status).toBe(403);
		expect((await change(client, password, 'forged-password-9', { origin: null })).status).toBe(403);
		const json = await client.request('/account?/password', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ current: password, next: 'json-password-9' })
		});
		// SvelteKit refuses a body that is not a form before any action runs (415); a form that
		// does not parse gets readForm's 400. Neither is a 500.
		expect(json.status).toBe(415);
		const broken = await client.request('/account?/password', {
			method: 'POST',
			headers: { 'content-type': 'multipart/form-data; boundary=x' },
			body: '--x\r\nContent-Disposition: form-data; name="current"\r\n\r\nno end'
		});
		expect(broken.status).toBe(400);
		const arrays = await client.postForm('/account?/password', { current: [password, password], next: 'array-pass-9' });
		expect(arrays.status).toBe(400);
		const anonymous = await change(new Client(server.url), password, 'anon-password-9');
		expect(anonymous.status).toBe(303);
		expect(anonymous.headers.get('location')).toMatch(/^\/login/);
		// None of them changed anything.
		expect((await new Client(server.url).login(email, password)).status).toBe(303);
	});
});

describe('[§1] item 9: the first admin is named at set-up', () => {
	it('ADMIN_NAME names the first admin (not the e-mail)', async () => {
		const admin = new Client(server.url);
		expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
		const me = (await (await admin.request('/api/session')).json()) as { user: { name: string } };
		expect(me.user.name).toBe('Ada Lindqvist');
	});

	it('the set-up page asks for the name, and the admin gets it', async () => {
		const fresh = await startServer({}, { admin: false });
		try {
			const token = /setup\?token=([A-Za-z0-9_-]+)/.exec(fresh.output())?.[1];
			expect(token).toBeTruthy();
			const c = new Client(fresh.url);
			const page = await c.request(`/setup?token=${token}`);
			expect(await page.text()).toMatch(/<label[^>]*for="[^"]*name[^"]*"[^>]*>\s*Name/);
			// An address that is none: the page again, the field marked with its error, what was typed kept.
			const bad = await c.postForm(`/setup?token=${token}`, {
				token: token!,
				name: 'Bea Brandt',
				email: 'bea-at-example',
				password: 'bea-password-1'
			});
			expect(bad.status).toBe(400);
			const html = await bad.text();
			const input = /<input[^>]*id="field-email"[^>]*>/.exec(html)?.[0] ?? '';
			expect(input).toContain('type="email"');
			expect(input).toContain('autocomplete="username"');
			expect(input).toContain('value="bea-at-example"');
			expect(input).toContain('aria-invalid="true"');
			expect(html).toContain('Enter a valid e-mail address.');
			const res = await c.postForm('/setup', {
				token: token!,
				name: 'Bea Brandt',
				email: 'bea@example.com',
				password: 'bea-password-1'
			});
			expect(res.status).toBe(303);
			const me = (await (await c.request('/api/session')).json()) as { user: { name: string } };
			expect(me.user.name).toBe('Bea Brandt');
		} finally {
			await fresh.stop();
		}
	});
});
