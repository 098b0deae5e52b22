/**
 * [§6] History (issue #4): the server records who changed which fields of which record and
 * when; GET /api/customers/<id>/history shows it to staff who may read the record, and answers
 * everyone else exactly as for a record that does not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addContact, customerMap, updateContact, updateCustomer } from '../../src/lib/schema/customer-doc.ts';
import type { HistoryChangeView, HistoryPage } from '../../src/lib/schema/history.ts';
import { Client } from './helpers/http.ts';
import { createCustomer } from './helpers/records.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { connect, until } from './helpers/sync.ts';

const CUSTOMER = 'hist-0190a3c4-0001';
const ADA = 'hist-ada-0001';

let server: TestServer;
let admin: Client;
let alice: Client;
let bob: Client;
let aliceId: string;

async function staffClient(name: string, email: string): Promise<Client> {
	const added = await admin.postForm('/admin/staff?/create', {
		name,
		email,
		role: 'staff',
		password: 'staff-password'
	});
	expect(added.status).toBe(200);
	const c = new Client(server.url);
	expect((await c.login(email, 'staff-password')).status).toBe(303);
	return c;
}

async function history(c: Client, id = CUSTOMER): Promise<{ status: number; body: unknown }> {
	const res = await c.request(`/api/customers/${encodeURIComponent(id)}/history`);
	return { status: res.status, body: await res.json().catch(() => null) };
}

const changesOf = (page: HistoryPage): HistoryChangeView[] => page.entries.flatMap((e) => e.changes);

beforeAll(async () => {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000' });
	admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	alice = await staffClient('Alice Author', 'alice@example.com');
	bob = await staffClient('Bob Bystander', 'bob@example.com');
	aliceId = await alice.userId();

	// Alice creates a private customer (she is its only manager), as a device does, then edits
	// it over the live socket.
	await createCustomer(server, alice, CUSTOMER, { fields: { companyName: 'History AG' } });
	const s = connect(server, alice, CUSTOMER);
	await until(() => s.provider.synced && customerMap(s.doc).get('kind') === 'company', 5000, 'the customer');
	addContact(s.doc, {
		id: ADA,
		fields: { firstName: 'Ada', lastName: 'Lovelace' },
		authorId: aliceId,
		now: Date.now()
	});
	await s.acks.whenCommitted();
	// One transaction, one update: one change event on the server.
	s.doc.transact(() => {
		updateCustomer(s.doc, { city: 'Bern' }, aliceId, Date.now());
		updateContact(s.doc, ADA, { position: 'CTO' }, aliceId, Date.now());
	});
	await s.acks.whenCommitted();
	s.destroy();
});

afterAll(async () => {
	await server?.stop();
});

describe('[§6] record history', () => {
	it('an edit over the socket shows up with its author and fields, newest first', async () => {
		const { status, body } = await history(alice);
		expect(status).toBe(200);
		const page = body as HistoryPage;
		expect(page.entries.length).toBeGreaterThanOrEqual(3);
		for (const e of page.entries) expect(e.author).toEqual({ id: aliceId, name: 'Alice Author' });
		const ats = page.entries.map((e) => e.at);
		expect(ats).toEqual([...ats].sort((a, b) => b - a));

		const changes = changesOf(page);
		expect(changes).toContainEqual(expect.objectContaining({ record: 'customer', field: 'created' }));
		expect(changes).toContainEqual(
			expect.objectContaining({ record: 'customer', field: 'companyName', value: 'History AG' })
		);
		expect(changes).toContainEqual(expect.objectContaining({ record: 'customer', field: 'city', value: 'Bern' }));
		expect(changes).toContainEqual(
			expect.objectContaining({
				record: 'contact',
				contactId: ADA,
				field: 'position',
				value: 'CTO',
				contactName: 'Ada Lovelace'
			})
		);
		expect(changes).toContainEqual(
			expect.objectContaining({ field: 'managers', value: { user: aliceId, assigned: true, name: 'Alice Author' } })
		);
		// Bookkeeping every edit stamps is not history.
		expect(changes.map((c) => c.field)).not.toContain('updatedAt');
		// The newest event is the last edit: the city and the position, together.
		expect(page.entries[0].changes.map((c) => c.field).sort()).toEqual(['city', 'position']);
	});

	it('admins read the history of every record', async () => {
		const { status, body } = await history(admin);
		expect(status).toBe(200);
		expect((body as HistoryPage).entries.length).toBeGreaterThan(0);
	});

	it('staff who may not read the private record get the same 404 as for a record that does not exist', async () => {
		const hidden = await history(bob);
		const missing = await history(bob, 'no-such-customer');
		expect(hidden.status).toBe(404);
		expect(missing.status).toBe(404);
		expect(hidden.body).toEqual(missing.body);
		// The settings document is a document, not a record with a history.
		expect((await history(admin, 'settings')).status).toBe(404);
	});

	it('refuses the history without a session', async () => {
		expect((await history(new Client(server.url))).status).toBe(401);
	});
});
