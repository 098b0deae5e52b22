/**
 * Rules (issue #9, README "Security"): existence, access and authorship are never derived
 * from a field a client can write.
 * - A document exists once the server has stored it; only a name with no stored document
 *   can be created.
 * - Fields set at creation (kind, createdBy, createdAt) are write-once, for everyone.
 * - Fields the server owns (a contact's duplicateEmail) change only by the server.
 * - Attribution a client writes (createdBy, updatedBy, deletedBy) names the session's user.
 * - A stored record whose access cannot be derived stays readable by admins.
 * Every refusal takes the existing path (FeedMsg.refused → "not saved" on the device).
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addContact,
	contactsMap,
	customerMap,
	initCustomer,
	updateCustomer
} from '../../src/lib/schema/customer-doc.ts';
import { CloseCode, FeedMsg } from '../../src/lib/schema/protocol.ts';
import { FeedClient } from './helpers/feed.ts';
import { upgradeStatus } from './helpers/frames.ts';
import { Client } from './helpers/http.ts';
import { createCustomer } from './helpers/records.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { push, staffUser } from './helpers/staff.ts';

let server: TestServer;
let admin: Client;
let bob: Client;
let adminId: string;
let bobId: string;
let feed: FeedClient;

beforeAll(async () => {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000' }, { keepData: true });
	admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	bob = await staffUser(server, admin, 'bob@example.com');
	adminId = await admin.userId();
	bobId = await bob.userId();
	feed = await FeedClient.open(server, bob);
});
afterAll(async () => {
	feed?.close();
	await server?.stop();
});

/** A device's copy of a stored record: edits made on it are pushed as one diff. */
function device(base: Uint8Array) {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, base);
	const sv = Y.encodeStateVector(doc);
	return { doc, changes: () => Y.encodeStateAsUpdate(doc, sv) };
}

const query = (sql: string, ...args: unknown[]) => {
	const db = new Database(path.join(server.dataDir, 'fieldbook.sqlite'), { readonly: true });
	try {
		return db.prepare(sql).all(...args);
	} finally {
		db.close();
	}
};

describe("[§6] existence and authorship are the server's, never a client-writable field", () => {
	it('a writer who is not a manager cannot make a record vanish, nor take it over by "creating" it again', async () => {
		const victim = await createCustomer(server, admin, 'victim-1', { access: 'public-write' });

		const removeKind = device(victim.update);
		customerMap(removeKind.doc).delete('kind');
		const r1 = await push(feed, 'victim-1', removeKind.changes());
		expect(r1).toMatchObject({ code: CloseCode.forbidden });
		expect(r1!.reason).toMatch(/customer\."kind" may not be removed/);

		const nullKind = device(victim.update);
		customerMap(nullKind.doc).set('kind', null);
		expect((await push(feed, 'victim-1', nullKind.changes()))?.reason).toMatch(
			/"kind" is set when the record is created/
		);

		// A "creation" of the stored id from a fresh Y.Doc making bob its only, private manager.
		const takeover = new Y.Doc();
		initCustomer(takeover, { kind: 'person', authorId: bobId, now: Date.now() });
		const r3 = await push(feed, 'victim-1', Y.encodeStateAsUpdate(takeover));
		expect(r3).toMatchObject({ code: CloseCode.forbidden });

		// Nothing of it reached the server: the record, its access and its managers are as they were.
		expect(query('SELECT kind, access FROM customers WHERE id = ?', 'victim-1')).toEqual([
			{ kind: 'company', access: 'public-write' }
		]);
		expect(query('SELECT user_id FROM customer_managers WHERE customer_id = ?', 'victim-1')).toEqual([
			{ user_id: adminId }
		]);
		// A writer's ordinary edit still goes through.
		const edit = device(victim.update);
		updateCustomer(edit.doc, { city: 'Lyon' }, bobId, Date.now());
		expect(await push(feed, 'victim-1', edit.changes())).toBeNull();
	});

	it('fields set at creation are write-once, also for admins and managers', async () => {
		const rec = await createCustomer(server, admin, 'write-once-1');
		const adminFeed = await FeedClient.open(server, admin);
		try {
			for (const [key, value] of [
				['kind', 'person'],
				['createdBy', adminId],
				['createdAt', 1]
			] as const) {
				const d = device(rec.update);
				customerMap(d.doc).set(key, value);
				const refused = await push(adminFeed, 'write-once-1', d.changes());
				expect(refused, key).toMatchObject({ code: CloseCode.forbidden });
				expect(refused!.reason).toContain(`"${key}" is set when the record is created`);
			}
			// A contact's creation fields too; a new contact sets them once, as addContact does.
			const withContact = device(rec.update);
			addContact(withContact.doc, { id: 'k-once', fields: { firstName: 'Ona' }, authorId: adminId, now: 5 });
			expect(await push(adminFeed, 'write-once-1', withContact.changes())).toBeNull();
			const later = device(Y.encodeStateAsUpdate(withContact.doc));
			contactsMap(later.doc).get('k-once')!.set('createdAt', 6);
			expect((await push(adminFeed, 'write-once-1', later.changes()))?.reason).toMatch(/contacts\."createdAt" is set/);
		} finally {
			adminFeed.close();
		}
	});

	it('attribution names the signed-in user: updatedBy, deletedBy and createdBy naming someone else are refused', async () => {
		const rec = await createCustomer(server, admin, 'attribution-1', { access: 'public-write' });
		const forged = device(rec.update);
		updateCustomer(forged.doc, { city: 'Bern' }, adminId, Date.now()); // bob's edit, stamped as the admin's
		const refused = await push(feed, 'attribution-1', forged.changes());
		expect(refused).toMatchObject({ code: CloseCode.forbidden });
		expect(refused!.reason).toMatch(/"updatedBy" must name the signed-in user/);

		const deleted = device(rec.update);
		customerMap(deleted.doc).set('deletedBy', adminId);
		expect((await push(feed, 'attribution-1', deleted.changes()))?.reason).toMatch(/"deletedBy" must name/);

		const contact = device(rec.update);
		addContact(contact.doc, { id: 'k-forged', fields: { firstName: 'Fo' }, authorId: adminId, now: 1 });
		customerMap(contact.doc).set('updatedBy', bobId);
		expect((await push(feed, 'attribution-1', contact.changes()))?.reason).toMatch(/contacts\."createdBy" must name/);

		const honest = device(rec.update);
		updateCustomer(honest.doc, { city: 'Bern' }, bobId, Date.now());
		expect(await push(feed, 'attribution-1', honest.changes())).toBeNull();
		expect(query('SELECT city FROM customers WHERE id = ?', 'attribution-1')).toEqual([{ city: 'Bern' }]);
	});

	it('a stored record whose access cannot be derived stays readable by admins (after a restart too)', async () => {
		const victim = await createCustomer(server, admin, 'restart-1', { access: 'public-write' });
		expect(victim.name).toBe('restart-1');
		// A document stored before the write-once rules, holding no customer at all.
		const legacy = new Y.Doc();
		legacy.getMap('contacts').set('k-legacy', new Y.Map());
		const dataDir = server.dataDir;
		feed.close();
		await server.stop();
		const db = new Database(path.join(dataDir, 'fieldbook.sqlite'));
		const now = Date.now();
		db.prepare(
			'INSERT INTO documents (name, snapshot, snapshot_seq, last_seq, log_count, created_at, updated_at) VALUES (?, ?, 0, 0, 0, ?, ?)'
		).run('legacy-1', Buffer.from(Y.encodeStateAsUpdate(legacy)), now, now);
		db.close();

		server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000' }, { dataDir, keepData: true });
		admin = new Client(server.url);
		expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
		bob = new Client(server.url);
		expect((await bob.login('bob@example.com', 'staff-password-1')).status).toBe(303);
		feed = await FeedClient.open(server, bob);

		expect(await upgradeStatus(server, admin, 'restart-1')).toBe(101);
		expect(await upgradeStatus(server, bob, 'restart-1')).toBe(101);
		expect(await upgradeStatus(server, admin, 'legacy-1')).toBe(101);
		expect(await upgradeStatus(server, bob, 'legacy-1')).toBe(403);
		// A stored name, even one with no customer, is not free to be "created" by anyone.
		const claim = new Y.Doc();
		initCustomer(claim, { kind: 'company', authorId: bobId, now: Date.now(), fields: { companyName: 'Mine' } });
		expect(await push(feed, 'legacy-1', Y.encodeStateAsUpdate(claim))).toMatchObject({ code: CloseCode.forbidden });
		expect(feed.of(FeedMsg.refused).at(-1)?.state.length).toBe(0); // nothing of it is shown to bob
	});
});
