/**
 * [§2][§5] Contact passwords are set online, straight to the server (never in a document);
 * "send set-password e-mail" is a command with an idempotency key, queued exactly once.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addContact, updateContact } from '../../src/lib/schema/customer-doc.ts';
import { Client } from './helpers/http.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { createCustomer } from './helpers/records.ts';
import { connect, until } from './helpers/sync.ts';

let server: TestServer;
let staff: Client;

beforeAll(async () => {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000' });
	staff = new Client(server.url);
	expect((await staff.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	const created = await createCustomer(server, staff, 'cust-cmd', { fields: { companyName: 'Command AG' } });
	const s = connect(server, staff, 'cust-cmd');
	await until(() => s.provider.synced);
	addContact(s.doc, {
		id: 'with-mail',
		fields: { firstName: 'Eva', lastName: 'Mail', email: 'eva@example.com' },
		authorId: created.authorId,
		now: 2
	});
	addContact(s.doc, {
		id: 'no-mail',
		fields: { firstName: 'Nils', lastName: 'Nomail' },
		authorId: created.authorId,
		now: 3
	});
	await s.acks.whenCommitted();
	s.destroy();
});
afterAll(async () => {
	await server?.stop();
});

function query<T>(sql: string, ...args: unknown[]): T[] {
	const db = new Database(path.join(server.dataDir, 'fieldbook.sqlite'), { readonly: true });
	try {
		return db.prepare(sql).all(...args) as T[];
	} finally {
		db.close();
	}
}

const outbox = () => query("SELECT kind, contact_id, to_email FROM outbox WHERE kind = 'set_password'");

describe('contact commands', () => {
	it('sets a portal password; it is stored only as a hash, never in the document', async () => {
		const res = await staff.postJson('/api/contacts/with-mail/password', { password: 'portal-password' });
		expect(res.status).toBe(200);
		const db = new Database(path.join(server.dataDir, 'fieldbook.sqlite'), { readonly: true });
		const row = db.prepare('SELECT password_hash FROM contact_credentials WHERE contact_id = ?').get('with-mail') as {
			password_hash: string;
		};
		const log = db.prepare("SELECT data FROM document_updates WHERE doc = 'cust-cmd'").all() as { data: Buffer }[];
		db.close();
		expect(row.password_hash).toMatch(/^\$argon2id\$/);
		const doc = new Y.Doc();
		for (const u of log) Y.applyUpdate(doc, u.data);
		expect(JSON.stringify(doc.toJSON())).not.toContain('portal-password');
	});

	it('refuses a short password and an unknown contact with clear errors', async () => {
		const short = await staff.postJson('/api/contacts/with-mail/password', { password: 'short' });
		expect(short.status).toBe(400);
		expect(await short.json()).toEqual({ error: 'invalid_input', fields: { password: 'too_short' } });
		expect((await staff.postJson('/api/contacts/nobody/password', { password: 'long-enough' })).status).toBe(404);
	});

	it('queues the set-password e-mail once per idempotency key', async () => {
		const first = await staff.postJson('/api/contacts/with-mail/set-password-email', {
			idempotencyKey: 'device-cmd-0001'
		});
		const again = await staff.postJson('/api/contacts/with-mail/set-password-email', {
			idempotencyKey: 'device-cmd-0001'
		});
		expect(first.status).toBe(202);
		expect(await first.json()).toEqual({ ok: true, queued: true });
		expect(await again.json()).toEqual({ ok: true, queued: false });
		expect(outbox()).toEqual([{ kind: 'set_password', contact_id: 'with-mail', to_email: 'eva@example.com' }]);
	});

	it('a contact without e-mail cannot get a set-password e-mail', async () => {
		const res = await staff.postJson('/api/contacts/no-mail/set-password-email', { idempotencyKey: 'device-cmd-0002' });
		expect(res.status).toBe(409);
		expect(await res.json()).toEqual({ error: 'no_email' });
	});

	it('refuses both commands without a session', async () => {
		const anon = new Client(server.url);
		expect((await anon.postJson('/api/contacts/with-mail/password', { password: 'portal-password' })).status).toBe(401);
		expect(
			(await anon.postJson('/api/contacts/with-mail/set-password-email', { idempotencyKey: 'device-cmd-0003' })).status
		).toBe(401);
	});

	it('[§2][§6] a set-password e-mail for a contact flagged as a duplicate e-mail is refused, and nothing is queued', async () => {
		// Two customers, each with a contact using one address: the server flags both.
		const flagged = (id: string) =>
			query<{ duplicate_email: number }>('SELECT duplicate_email FROM contacts WHERE id = ?', id)[0]
				?.duplicate_email === 1;
		const sessions = [];
		let authorId = '';
		for (const [doc, contact, email] of [
			['cust-dup-1', 'dup-one', 'shared@example.com'],
			['cust-dup-2', 'dup-two', ' Shared@Example.com']
		] as const) {
			const created = await createCustomer(server, staff, doc, { fields: { companyName: doc } });
			authorId = created.authorId;
			const s = connect(server, staff, doc);
			await until(() => s.provider.synced);
			addContact(s.doc, {
				id: contact,
				fields: { firstName: 'Dee', lastName: contact, email, doNotSendWelcome: true },
				authorId: created.authorId,
				now: Date.now()
			});
			await s.acks.whenCommitted();
			sessions.push(s);
		}
		await until(() => flagged('dup-one') && flagged('dup-two'), 5000, 'both flagged');

		// What a device would not offer, sent anyway (a forged or stale command): refused with its reason.
		const res = await staff.postJson('/api/contacts/dup-one/set-password-email', { idempotencyKey: 'device-dup-0001' });
		expect(res.status).toBe(409);
		expect(await res.json()).toEqual({ error: 'duplicate_email' });
		expect(query("SELECT 1 FROM outbox WHERE contact_id IN ('dup-one', 'dup-two')")).toEqual([]);

		// Resolved (the other contact gets another address): the same contact may get one again.
		const [, second] = sessions;
		updateContact(second.doc, 'dup-two', { email: 'other@example.com' }, authorId, Date.now());
		await second.acks.whenCommitted();
		await until(() => !flagged('dup-one') && !flagged('dup-two'), 5000, 'flags cleared');
		const again = await staff.postJson('/api/contacts/dup-one/set-password-email', {
			idempotencyKey: 'device-dup-0002'
		});
		expect(again.status).toBe(202);
		expect(query("SELECT contact_id, to_email FROM outbox WHERE contact_id = 'dup-one'")).toEqual([
			{ contact_id: 'dup-one', to_email: 'shared@example.com' }
		]);
		for (const s of sessions) s.destroy();
	});
});
