/**
 * [§2][§6] Invariants the server restores as its own change after concurrent offline edits,
 * the same way on every run: duplicate contact e-mails are flagged on both contacts (never
 * refused, nothing lost), with a first-claim table deciding who came first; a contact type
 * removed meanwhile becomes the default.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addContact, contactsMap, updateContact } from '../../src/lib/schema/customer-doc.ts';
import { FeedMsg } from '../../src/lib/schema/protocol.ts';
import { DEFAULT_CONTACT_TYPE_ID } from '../../src/lib/schema/settings.ts';
import { FeedClient } from './helpers/feed.ts';
import { Client } from './helpers/http.ts';
import { createCustomer } from './helpers/records.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { connect, until } from './helpers/sync.ts';

let server: TestServer;
let admin: Client;
let adminId: string;

beforeAll(async () => {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000' });
	admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	adminId = await admin.userId();
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

/** A device's copy of a record: the creating update plus local edits. */
function deviceCopy(base: Uint8Array): { doc: Y.Doc; changes: () => Uint8Array } {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, base);
	const sv = Y.encodeStateVector(doc);
	return { doc, changes: () => Y.encodeStateAsUpdate(doc, sv) };
}

async function pushAll(feed: FeedClient, pushes: [string, Uint8Array][]): Promise<void> {
	const before = feed.of(FeedMsg.ack).length;
	for (const [doc, update] of pushes) feed.send({ type: FeedMsg.push, doc, update });
	await feed.waitFor(FeedMsg.ack, before + pushes.length);
	expect(feed.of(FeedMsg.refused)).toEqual([]);
}

/** The server's copy of a record, read over a live socket. */
async function serverCopy(doc: string): Promise<Y.Doc> {
	const s = connect(server, admin, doc);
	await until(() => s.provider.synced);
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(s.doc));
	s.destroy();
	return copy;
}

const flag = (doc: Y.Doc, contact: string) => contactsMap(doc).get(contact)?.get('duplicateEmail') ?? false;

describe('[§2] duplicate contact e-mails', () => {
	it('one e-mail on two contacts made offline on two devices is flagged on both; nothing is refused or lost', async () => {
		const a = await createCustomer(server, admin, 'dup-a');
		const b = await createCustomer(server, admin, 'dup-b');
		// Two devices, offline, each add a contact with the same address (spelled differently).
		const first = deviceCopy(a.update);
		addContact(first.doc, {
			id: 'k-first',
			fields: { firstName: 'Ann', lastName: 'One', email: 'ann@example.com' },
			authorId: adminId,
			now: 1000
		});
		const second = deviceCopy(b.update);
		addContact(second.doc, {
			id: 'k-second',
			fields: { firstName: 'Ann', lastName: 'Two', email: ' ANN@Example.com ' },
			authorId: adminId,
			now: 2000
		});
		const feed = await FeedClient.open(server, admin);
		// The later one reaches the server first: the first-claim table still goes by who came first.
		await pushAll(feed, [
			['dup-b', second.changes()],
			['dup-a', first.changes()]
		]);
		await until(() => query('SELECT 1 FROM contacts WHERE duplicate_email = 1').length === 2, 5000, 'both flagged');
		expect(flag(await serverCopy('dup-a'), 'k-first')).toBe(true);
		expect(flag(await serverCopy('dup-b'), 'k-second')).toBe(true);
		expect(query('SELECT email FROM contacts WHERE id IN (?, ?) ORDER BY id', 'k-first', 'k-second')).toEqual([
			{ email: 'ann@example.com' },
			{ email: 'ANN@Example.com' } // trimmed, as every device stores it; both kept
		]);
		const claims = query<{ contact_id: string }>(
			'SELECT contact_id FROM email_claims WHERE email_key = ?',
			'ann@example.com'
		);
		expect(claims.map((c) => c.contact_id)).toEqual(['k-second']); // the first to reach the server claimed it

		// A person resolves it: one contact gets another address; both flags clear.
		const fix = deviceCopy(Y.encodeStateAsUpdate(await serverCopy('dup-b')));
		updateContact(fix.doc, 'k-second', { email: 'ann.two@example.com' }, adminId, 3000);
		await pushAll(feed, [['dup-b', fix.changes()]]);
		await until(() => query('SELECT 1 FROM contacts WHERE duplicate_email = 1').length === 0, 5000, 'flags cleared');
		expect(flag(await serverCopy('dup-a'), 'k-first')).toBe(false);
		expect(flag(await serverCopy('dup-b'), 'k-second')).toBe(false);
		// The address passed to the remaining holder.
		expect(query('SELECT contact_id FROM email_claims WHERE email_key = ?', 'ann@example.com')).toEqual([
			{ contact_id: 'k-first' }
		]);
		feed.close();
	});

	it('server-owned fields change only by the server: a client setting the duplicate flag is refused whole', async () => {
		const c = await createCustomer(server, admin, 'dup-forged');
		const device = deviceCopy(c.update);
		addContact(device.doc, {
			id: 'k-lone',
			fields: { firstName: 'Lone', lastName: 'Ly', email: 'lone@example.com' },
			authorId: adminId,
			now: 1
		});
		contactsMap(device.doc).get('k-lone')!.set('duplicateEmail', true);
		const feed = await FeedClient.open(server, admin);
		feed.send({ type: FeedMsg.push, doc: 'dup-forged', update: device.changes() });
		const [refused] = await feed.waitFor(FeedMsg.refused);
		expect(refused).toMatchObject({ doc: 'dup-forged', code: 4403 });
		expect(refused.reason).toMatch(/duplicateEmail.*server only/);
		// Refused whole: not even the contact it came with was stored.
		expect(query('SELECT id FROM contacts WHERE id = ?', 'k-lone')).toEqual([]);
		expect(contactsMap(await serverCopy('dup-forged')).has('k-lone')).toBe(false);
		feed.close();
	});
});

describe('[§2] every record keeps a manager', () => {
	it('two devices that each removed a different manager offline leave the creator managing it', async () => {
		const c = await createCustomer(server, admin, 'orphan-1', { managers: ['staff-other'] });
		const one = deviceCopy(c.update);
		one.doc.getMap('managers').delete('staff-other');
		const two = deviceCopy(c.update);
		two.doc.getMap('managers').delete(adminId);
		const feed = await FeedClient.open(server, admin);
		await pushAll(feed, [
			['orphan-1', one.changes()],
			['orphan-1', two.changes()]
		]);
		await until(
			() => query('SELECT user_id FROM customer_managers WHERE customer_id = ?', 'orphan-1').length === 1,
			5000,
			'a manager again'
		);
		expect(query('SELECT user_id FROM customer_managers WHERE customer_id = ?', 'orphan-1')).toEqual([
			{ user_id: adminId }
		]);
		feed.close();
	});
});

describe('[§6] values from admin-edited lists', () => {
	it('a contact type removed meanwhile is never refused: the server makes it the default', async () => {
		const c = await createCustomer(server, admin, 'typed-1');
		const device = deviceCopy(c.update);
		device.doc.getMap('customer').set('contactTypeId', 'type-removed-meanwhile');
		const feed = await FeedClient.open(server, admin);
		await pushAll(feed, [['typed-1', device.changes()]]);
		await until(
			() =>
				query<{ t: string }>('SELECT contact_type_id AS t FROM customers WHERE id = ?', 'typed-1')[0]?.t ===
				DEFAULT_CONTACT_TYPE_ID,
			5000,
			'repaired to the default'
		);
		expect((await serverCopy('typed-1')).getMap('customer').get('contactTypeId')).toBe(DEFAULT_CONTACT_TYPE_ID);
		feed.close();
	});
});
