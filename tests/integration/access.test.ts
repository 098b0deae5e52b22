/**
 * [§2][§6] Record access on every sync path and endpoint, on the real server: private records
 * reach only their managers and admins, read-only users change nothing, access and managers
 * change only by managers, and a revocation takes effect live.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { initCustomer } from '../../src/lib/schema/customer-doc.ts';
import { CloseCode, FeedMsg } from '../../src/lib/schema/protocol.ts';
import { FeedClient } from './helpers/feed.ts';
import { Client } from './helpers/http.ts';
import { createCustomer } from './helpers/records.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { connect, until, type SyncClient } from './helpers/sync.ts';

let server: TestServer;
/** Admin. */
let admin: Client;
/** Two staff users without admin rights. */
let alice: Client;
let bob: Client;
let aliceId: string;
let bobId: string;
const open: { close(): void }[] = [];

async function staffUser(email: string): Promise<Client> {
	const res = await admin.postForm('/admin/staff?/create', {
		name: email.split('@')[0],
		email,
		role: 'staff',
		password: 'staff-password-1'
	});
	expect(res.status).toBe(200);
	const c = new Client(server.url);
	expect((await c.login(email, 'staff-password-1')).status).toBe(303);
	return c;
}

beforeAll(async () => {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000' });
	admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	alice = await staffUser('alice@example.com');
	bob = await staffUser('bob@example.com');
	aliceId = await alice.userId();
	bobId = await bob.userId();
});
afterAll(async () => {
	for (const o of open) o.close();
	await server?.stop();
});

async function feedOf(client: Client, since = 0): Promise<FeedClient> {
	const f = await FeedClient.open(server, client);
	open.push(f);
	f.send({ type: FeedMsg.hello, since });
	await f.waitFor(FeedMsg.caughtUp);
	return f;
}

function live(client: Client, doc: string): SyncClient {
	const s = connect(server, client, doc);
	open.push({ close: () => s.destroy() });
	return s;
}

/** The HTTP status of an upgrade to /sync/<doc> (101 when it opens). */
function upgradeStatus(client: Client, doc: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/sync/${doc}`, {
			headers: { cookie: client.cookieHeader, origin: server.origin }
		});
		ws.once('open', () => {
			ws.close();
			resolve(101);
		});
		ws.once('unexpected-response', (_req, res) => {
			ws.terminate();
			resolve(res.statusCode ?? 0);
		});
		ws.once('error', reject);
	});
}

function query<T>(sql: string, ...args: unknown[]): T[] {
	const db = new Database(path.join(server.dataDir, 'fieldbook.sqlite'), { readonly: true });
	try {
		return db.prepare(sql).all(...args) as T[];
	} finally {
		db.close();
	}
}

/** An update that sets one customer field, made on top of what `base` holds. */
function fieldUpdate(base: Uint8Array, key: string, value: unknown, clientId?: number): Uint8Array {
	const d = new Y.Doc();
	if (clientId !== undefined) d.clientID = clientId;
	Y.applyUpdate(d, base);
	const before = Y.encodeStateVector(d);
	d.getMap('customer').set(key, value);
	return Y.encodeStateAsUpdate(d, before);
}

async function push(feed: FeedClient, doc: string, update: Uint8Array) {
	const acks = feed.of(FeedMsg.ack).length;
	const refusals = feed.of(FeedMsg.refused).length;
	feed.send({ type: FeedMsg.push, doc, update });
	await until(
		() => feed.of(FeedMsg.ack).length > acks || feed.of(FeedMsg.refused).length > refusals,
		5000,
		`answer to push of ${doc}`
	);
	return feed.of(FeedMsg.refused).slice(refusals)[0] ?? null;
}

describe('[§2] record access on every path', () => {
	it('forged and guessed document names get the same refusal on every path, and load or create nothing', async () => {
		const secret = await createCustomer(server, alice, 'secret-1', { fields: { companyName: 'Secret GmbH' } });
		// Live socket: someone else's private record and a name that does not exist look the same.
		expect(await upgradeStatus(alice, 'secret-1')).toBe(101);
		expect(await upgradeStatus(bob, 'secret-1')).toBe(403);
		expect(await upgradeStatus(bob, 'no-such-record')).toBe(403);
		expect(await upgradeStatus(admin, 'secret-1')).toBe(101); // admins read everything

		// Catch-up: bob's device never receives it; alice's and the admin's do.
		const bobFeed = await feedOf(bob);
		expect(bobFeed.of(FeedMsg.change).map((m) => m.doc)).not.toContain('secret-1');
		expect((await feedOf(alice)).of(FeedMsg.change).map((m) => m.doc)).toContain('secret-1');
		expect((await feedOf(admin)).of(FeedMsg.change).map((m) => m.doc)).toContain('secret-1');

		// Push: a change to it, and a non-creating change to an unknown name, get the same answer.
		const intoSecret = await push(bobFeed, 'secret-1', fieldUpdate(secret.update, 'companyName', 'Hacked'));
		const intoNothing = await push(bobFeed, 'no-such-record', fieldUpdate(secret.update, 'companyName', 'Hacked'));
		expect(intoSecret).toMatchObject({ code: CloseCode.forbidden, reason: 'no access to this record' });
		expect(intoNothing).toMatchObject({ code: CloseCode.forbidden, reason: 'no access to this record' });
		expect(intoSecret!.state.length).toBe(0); // nothing of the record is revealed
		expect(bobFeed.closeCode).toBeNull(); // the device's feed keeps working
		expect(query('SELECT name FROM documents WHERE name = ?', 'no-such-record')).toEqual([]);
		expect(query('SELECT company_name FROM customers WHERE id = ?', 'secret-1')).toEqual([
			{ company_name: 'Secret GmbH' }
		]);

		// Live changes: alice edits; bob's feed hears nothing of it.
		const a = live(alice, 'secret-1');
		await until(() => a.provider.synced);
		a.doc.getMap('customer').set('city', 'Bremen');
		await a.acks.whenCommitted();
		await new Promise((r) => setTimeout(r, 100));
		expect(bobFeed.of(FeedMsg.change).map((m) => m.doc)).not.toContain('secret-1');

		// HTTP: contact endpoints answer a contact of a record bob may not change like a missing one.
		a.doc.transact(() => {
			const k = new Y.Map<unknown>();
			k.set('firstName', 'Sam');
			k.set('lastName', 'Secret');
			k.set('email', 'sam@example.com');
			a.doc.getMap('contacts').set('secret-contact', k);
		});
		await a.acks.whenCommitted();
		const forged = await bob.postJson('/api/contacts/secret-contact/password', { password: 'portal-password' });
		const missing = await bob.postJson('/api/contacts/no-such-contact/password', { password: 'portal-password' });
		expect(forged.status).toBe(404);
		expect(missing.status).toBe(404);
		expect(await forged.json()).toEqual(await missing.json());
		const mail = await bob.postJson('/api/contacts/secret-contact/set-password-email', {
			idempotencyKey: 'key-12345678'
		});
		expect(mail.status).toBe(404);
		expect(
			(await alice.postJson('/api/contacts/secret-contact/password', { password: 'portal-password' })).status
		).toBe(200);
	});

	it('a new customer created offline syncs and its author is its manager; a creation naming someone else is refused', async () => {
		const device = new Y.Doc();
		initCustomer(device, { kind: 'company', authorId: bobId, now: Date.now(), fields: { companyName: 'Bob Offline' } });
		const feed = await feedOf(bob);
		expect(await push(feed, 'bob-new-1', Y.encodeStateAsUpdate(device))).toBeNull();
		expect(query('SELECT user_id FROM customer_managers WHERE customer_id = ?', 'bob-new-1')).toEqual([
			{ user_id: bobId }
		]);
		expect(await upgradeStatus(bob, 'bob-new-1')).toBe(101);
		expect(await upgradeStatus(alice, 'bob-new-1')).toBe(403); // private by default

		// A "new" record that makes only someone else its manager is not a creation bob may make.
		const forged = new Y.Doc();
		initCustomer(forged, { kind: 'company', authorId: aliceId, now: Date.now(), fields: { companyName: 'Forged' } });
		const refused = await push(feed, 'bob-forged-1', Y.encodeStateAsUpdate(forged));
		expect(refused).toMatchObject({ code: CloseCode.forbidden, reason: 'no access to this record' });
		expect(query('SELECT name FROM documents WHERE name = ?', 'bob-forged-1')).toEqual([]);
	});

	it('a read-only user sending sync step 2 and updates changes nothing and reaches no one', async () => {
		const rec = await createCustomer(server, alice, 'readonly-1', { access: 'public-read' });
		const watcher = live(alice, 'readonly-1');
		await until(() => watcher.provider.synced);
		let relayed = false;
		watcher.doc.getMap('customer').observe(() => (relayed = true));

		// Bob's copy holds an edit made before connecting: it goes out in his sync step 2.
		const bobDoc = new Y.Doc();
		Y.applyUpdate(bobDoc, rec.update);
		bobDoc.getMap('customer').set('companyName', 'Step two edit');
		const s = connect(server, bob, 'readonly-1', bobDoc);
		open.push({ close: () => s.destroy() });
		let code = 0;
		s.provider.on('connection-close', (e: CloseEvent | null) => (code = e?.code ?? code));
		await until(() => code !== 0, 5000, 'the read-only socket closed');
		expect(code).toBe(CloseCode.forbidden);

		// A clean read-only connection reads, and an update over it is refused too.
		const clean = live(bob, 'readonly-1');
		let code2 = 0;
		clean.provider.on('connection-close', (e: CloseEvent | null) => (code2 = e?.code ?? code2));
		await until(() => clean.provider.synced);
		expect(clean.doc.getMap('customer').get('companyName')).toBe('readonly-1');
		clean.doc.getMap('customer').set('city', 'Nowhere');
		await until(() => code2 !== 0, 5000, 'the update refused');
		expect(code2).toBe(CloseCode.forbidden);

		await new Promise((r) => setTimeout(r, 100));
		expect(relayed).toBe(false);
		expect(watcher.doc.getMap('customer').get('companyName')).toBe('readonly-1');
		expect(query('SELECT company_name, city FROM customers WHERE id = ?', 'readonly-1')).toEqual([
			{ company_name: 'readonly-1', city: null }
		]);
	});

	it('one connection with a writable document A and a read-only document B: A is saved, B refused with its state', async () => {
		const writable = await createCustomer(server, alice, 'shared-write', { access: 'public-write' });
		const readable = await createCustomer(server, alice, 'shared-read', { access: 'public-read' });
		const feed = await feedOf(bob);
		expect(await push(feed, 'shared-write', fieldUpdate(writable.update, 'city', 'Gdańsk'))).toBeNull();
		const refused = await push(feed, 'shared-read', fieldUpdate(readable.update, 'city', 'Porto'));
		expect(refused).toMatchObject({ code: CloseCode.forbidden });
		// The refused device gets the server's state to rebuild from.
		const rebuilt = new Y.Doc();
		Y.applyUpdate(rebuilt, refused!.state);
		expect(rebuilt.getMap('customer').get('companyName')).toBe('shared-read');
		expect(rebuilt.getMap('customer').get('city')).toBeUndefined();
		// Pushes already in flight are refused too, without the state again (it can be large).
		const again = await push(feed, 'shared-read', fieldUpdate(readable.update, 'city', 'Braga'));
		expect(again).toMatchObject({ code: CloseCode.forbidden });
		expect(again!.state.length).toBe(0);
		expect(feed.closeCode).toBeNull();
		expect(
			query('SELECT id, city FROM customers WHERE id IN (?, ?) ORDER BY id', 'shared-read', 'shared-write')
		).toEqual([
			{ id: 'shared-read', city: null },
			{ id: 'shared-write', city: 'Gdańsk' }
		]);
	});

	it('a staff user changing access or managers of a record they do not manage is refused', async () => {
		const rec = await createCustomer(server, alice, 'managed-1', { access: 'public-write' });
		const feed = await feedOf(bob);
		const access = await push(feed, 'managed-1', fieldUpdate(rec.update, 'access', 'private'));
		expect(access).toMatchObject({ code: CloseCode.forbidden });
		expect(access!.reason).toMatch(/only managers and admins/);

		const selfPromote = new Y.Doc();
		Y.applyUpdate(selfPromote, rec.update);
		const sv = Y.encodeStateVector(selfPromote);
		selfPromote.getMap('managers').set(bobId, true);
		expect(await push(feed, 'managed-1', Y.encodeStateAsUpdate(selfPromote, sv))).toMatchObject({
			code: CloseCode.forbidden
		});

		const demote = new Y.Doc();
		Y.applyUpdate(demote, rec.update);
		const sv2 = Y.encodeStateVector(demote);
		demote.getMap('managers').delete(aliceId);
		expect(await push(feed, 'managed-1', Y.encodeStateAsUpdate(demote, sv2))).toMatchObject({
			code: CloseCode.forbidden
		});

		// An ordinary field is fine (public-write), and the manager may change access.
		expect(await push(feed, 'managed-1', fieldUpdate(rec.update, 'city', 'Kraków'))).toBeNull();
		const aliceFeed = await feedOf(alice);
		expect(await push(aliceFeed, 'managed-1', fieldUpdate(rec.update, 'access', 'public-read'))).toBeNull();
		expect(query('SELECT access, city FROM customers WHERE id = ?', 'managed-1')).toEqual([
			{ access: 'public-read', city: 'Kraków' }
		]);
		expect(query('SELECT user_id FROM customer_managers WHERE customer_id = ?', 'managed-1')).toEqual([
			{ user_id: aliceId }
		]);
	});
});

describe('[§2] access changes take effect live', () => {
	it('revocation closes the stream within 5 s, and catch-up then removes the record from the device', async () => {
		const rec = await createCustomer(server, alice, 'revoked-1', { access: 'public-read' });
		const bobFeed = await feedOf(bob);
		const since = bobFeed.of(FeedMsg.caughtUp)[0].seq;
		expect(bobFeed.of(FeedMsg.change).map((m) => m.doc)).toContain('revoked-1');
		const bobLive = live(bob, 'revoked-1');
		await until(() => bobLive.provider.synced);
		let closed = 0;
		bobLive.provider.on('connection-close', (e: CloseEvent | null) => (closed = e?.code ?? closed));

		const aliceFeed = await feedOf(alice);
		const t0 = Date.now();
		expect(await push(aliceFeed, 'revoked-1', fieldUpdate(rec.update, 'access', 'private'))).toBeNull();
		await until(() => closed !== 0 && bobFeed.of(FeedMsg.removed).length > 0, 5000, 'revocation');
		const took = Date.now() - t0;
		expect(took).toBeLessThan(5000);
		expect(closed).toBe(CloseCode.forbidden);
		expect(bobFeed.of(FeedMsg.removed)[0].doc).toBe('revoked-1');
		expect(await upgradeStatus(bob, 'revoked-1')).toBe(403);

		// A device of bob's that was offline during the change learns it at its next sync.
		const later = await feedOf(bob, since);
		expect(later.of(FeedMsg.removed).map((m) => m.doc)).toContain('revoked-1');
		expect(later.of(FeedMsg.change).map((m) => m.doc)).not.toContain('revoked-1');
		// A fresh device of bob's never hears of it.
		const fresh = await feedOf(bob);
		expect(fresh.of(FeedMsg.removed).map((m) => m.doc)).not.toContain('revoked-1');
		expect(fresh.of(FeedMsg.change).map((m) => m.doc)).not.toContain('revoked-1');
	});

	it('a user who gains access gets the whole record synced in, live and at catch-up', async () => {
		const rec = await createCustomer(server, alice, 'granted-1', { fields: { city: 'Poznań' } });
		const bobFeed = await feedOf(bob);
		const since = bobFeed.of(FeedMsg.caughtUp)[0].seq;
		const aliceFeed = await feedOf(alice);
		expect(await push(aliceFeed, 'granted-1', fieldUpdate(rec.update, 'access', 'public-read'))).toBeNull();
		await until(() => bobFeed.of(FeedMsg.change).some((m) => m.doc === 'granted-1'), 5000, 'granted live');
		const whole = new Y.Doc();
		for (const m of bobFeed.of(FeedMsg.change).filter((m) => m.doc === 'granted-1')) Y.applyUpdate(whole, m.update);
		expect(whole.getMap('customer').toJSON()).toMatchObject({ companyName: 'granted-1', city: 'Poznań' });

		const later = await feedOf(bob, since);
		const caught = new Y.Doc();
		for (const m of later.of(FeedMsg.change).filter((m) => m.doc === 'granted-1')) Y.applyUpdate(caught, m.update);
		expect(caught.getMap('customer').toJSON()).toMatchObject({ companyName: 'granted-1', city: 'Poznań' });
	});
});
