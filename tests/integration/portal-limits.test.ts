/**
 * [§8] Portal sign-in and "forgot password" are rate limited as staff sign-in is: failures
 * per account and client address (another address — the contact's own — is not affected),
 * attempts per address, and fixed windows that always expire. Client addresses come from
 * X-Forwarded-For here (ADDRESS_HEADER, as behind a proxy).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addContact } from '../../src/lib/schema/customer-doc.ts';
import { Client } from './helpers/http.ts';
import { createCustomer } from './helpers/records.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { connect, until } from './helpers/sync.ts';

const PW = 'portal-password-1';
const WINDOW_MS = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: TestServer;

beforeAll(async () => {
	server = await startServer({
		LOGIN_MAX_PER_ACCOUNT: '3',
		LOGIN_MAX_PER_ADDRESS: '8',
		LOGIN_WINDOW_MS: String(WINDOW_MS),
		ADDRESS_HEADER: 'x-forwarded-for',
		XFF_DEPTH: '1'
	});
	const staff = new Client(server.url);
	expect((await post(staff, '/login', { email: ADMIN.email, password: ADMIN.password }, '10.9.9.9')).status).toBe(303);
	const created = await createCustomer(server, staff, 'limits-acme', { fields: { companyName: 'Limits AG' } });
	const s = connect(server, staff, 'limits-acme');
	await until(() => s.provider.synced);
	addContact(s.doc, {
		id: 'lim',
		fields: { firstName: 'Li', lastName: 'Mit', email: 'lim@acme.test' },
		authorId: created.authorId,
		now: Date.now()
	});
	await s.acks.whenCommitted();
	s.destroy();
	const set = await staff.request('/api/contacts/lim/password', {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.9.9.9' },
		body: JSON.stringify({ password: PW })
	});
	expect(set.status).toBe(200);
});
afterAll(async () => {
	await server?.stop();
});

/** A form post from client address `from`. */
function post(c: Client, p: string, fields: Record<string, string>, from: string): Promise<Response> {
	return c.request(p, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', 'x-forwarded-for': from },
		body: new URLSearchParams(fields)
	});
}

const login = (from: string, email = 'lim@acme.test', password = PW) =>
	post(new Client(server.url), '/portal/login', { email, password }, from);

describe('[§8] portal rate limits', () => {
	it('failures per account and address: that address waits (generic text), the owner elsewhere signs in, the window ends it', async () => {
		for (let i = 0; i < 3; i++) expect((await login('10.0.0.1', 'lim@acme.test', 'wrong-password')).status).toBe(400);
		const blocked = await login('10.0.0.1');
		expect(blocked.status).toBe(429);
		expect(await blocked.text()).toContain('Too many sign-in attempts');
		// An unknown account gets the same: the limit is no oracle.
		for (let i = 0; i < 3; i++) await login('10.0.0.1', 'ghost@acme.test', 'wrong-password');
		expect((await login('10.0.0.1', 'ghost@acme.test', 'wrong-password')).status).toBe(429);
		// The contact from their own address is not locked out.
		expect((await login('10.0.0.2')).status).toBe(303);
		await sleep(WINDOW_MS + 100);
		expect((await login('10.0.0.1')).status).toBe(303);
	});

	it('attempts per address across accounts', async () => {
		let status = 0;
		for (let i = 0; i < 12 && status !== 429; i++) {
			status = (await login('10.0.0.3', `spray${i}@acme.test`, 'wrong-password')).status;
		}
		expect(status).toBe(429);
		expect((await login('10.0.0.4')).status).toBe(303);
	});

	it('"forgot password" requests per address; past the limit the address is told to wait, others are not', async () => {
		const c = new Client(server.url);
		const statuses: number[] = [];
		for (let i = 0; i < 10; i++)
			statuses.push((await post(c, '/portal/forgot', { email: `who${i}@acme.test` }, '10.0.0.5')).status);
		expect(statuses.slice(0, 8)).toEqual(Array(8).fill(200));
		expect(statuses[8]).toBe(429);
		expect((await post(c, '/portal/forgot', { email: 'lim@acme.test' }, '10.0.0.6')).status).toBe(200);
	});
});
