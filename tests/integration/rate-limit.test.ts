/** Sign-in rate limits (per account, per address; fixed windows, never a permanent lock-out). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './helpers/http.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
	server = await startServer({ LOGIN_MAX_PER_ACCOUNT: '3', LOGIN_MAX_PER_ADDRESS: '12', LOGIN_WINDOW_MS: '2000' });
});
afterAll(async () => {
	await server?.stop();
});

describe('sign-in rate limits', () => {
	it('rate limits sign-in per account with a generic error, and lets the user in again after the window', async () => {
		const admin = new Client(server.url);
		expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
		const added = await admin.postForm('/admin/staff?/create', {
			name: 'Limited',
			email: 'limited@example.com',
			role: 'staff',
			password: 'limited-password'
		});
		expect(added.status).toBe(200);
		const c = new Client(server.url);
		for (let i = 0; i < 3; i++) expect((await c.login('limited@example.com', 'wrong-password')).status).toBe(400);
		const blocked = await c.login('limited@example.com', 'limited-password');
		expect(blocked.status).toBe(429);
		expect(await blocked.text()).toContain('Too many sign-in attempts');
		// The same answer for an account that does not exist: the limit is no oracle.
		const ghost = new Client(server.url);
		for (let i = 0; i < 3; i++) await ghost.login('ghost@example.com', 'wrong-password');
		expect((await ghost.login('ghost@example.com', 'wrong-password')).status).toBe(429);
		// No permanent lock-out: LOGIN_WINDOW_MS is 2 s here.
		await sleep(2100);
		expect((await c.login('limited@example.com', 'limited-password')).status).toBe(303);
	});

	it('rate limits sign-in per address across accounts', async () => {
		await sleep(2100); // a fresh window for this address
		const c = new Client(server.url);
		let status = 0;
		for (let i = 0; i < 20 && status !== 429; i++) {
			status = (await c.postJson('/api/session', { email: `spray${i}@example.com`, password: 'wrong-password' }))
				.status;
		}
		expect(status).toBe(429);
		await sleep(2100);
	});

	it('counts a rate-limited address again once its window has passed', async () => {
		await sleep(2100);
		const res = await new Client(server.url).login(ADMIN.email, ADMIN.password);
		expect(res.status).toBe(303);
	});
});
