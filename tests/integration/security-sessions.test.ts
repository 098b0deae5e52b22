/**
 * Rules (issue #9, README "Security"):
 * - A session's end ends its sockets: after sign-out, expiry, a password reset or
 *   deactivation, the session's /sync and /feed sockets close within 5 s with 4401, and
 *   nothing sent over them afterwards is stored; a reset or deactivation closes all of that
 *   user's sockets.
 * - A session has an absolute lifetime (SESSION_MAX_AGE_MS).
 * - JSON endpoints that change state check Origin as form actions do.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { updateCustomer } from '../../src/lib/schema/customer-doc.ts';
import { CloseCode, FeedMsg } from '../../src/lib/schema/protocol.ts';
import { FeedClient } from './helpers/feed.ts';
import { upgradeStatus } from './helpers/frames.ts';
import { Client } from './helpers/http.ts';
import { RawSyncClient } from './helpers/raw-sync.ts';
import { createCustomer } from './helpers/records.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { staffUser } from './helpers/staff.ts';
import { until } from './helpers/sync.ts';

let server: TestServer;
let admin: Client;

beforeAll(async () => {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000' });
	admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
});
afterAll(async () => {
	await server?.stop();
});

const query = (sql: string, ...args: unknown[]) => {
	const db = new Database(path.join(server.dataDir, 'fieldbook.sqlite'), { readonly: true });
	try {
		return db.prepare(sql).all(...args);
	} finally {
		db.close();
	}
};

/** A live document socket and a feed of `client`, both open. */
async function sockets(client: Client, doc: string, base: Uint8Array, on: TestServer = server) {
	const local = new Y.Doc();
	Y.applyUpdate(local, base);
	let closed: number | null = null;
	const live = await RawSyncClient.connect({
		url: `${on.url.replace(/^http/, 'ws')}/sync/${doc}?ack=1`,
		headers: { cookie: client.cookieHeader, origin: on.origin },
		doc: local,
		onClose: (code) => (closed = code)
	});
	await until(() => live.synced);
	const feed = await FeedClient.open(on, client);
	feed.send({ type: FeedMsg.hello, since: 0 });
	await feed.waitFor(FeedMsg.caughtUp);
	return { local, live, feed, liveClosed: () => closed };
}

async function closedWith4401(s: Awaited<ReturnType<typeof sockets>>): Promise<number> {
	const t0 = Date.now();
	await until(() => s.liveClosed() !== null && s.feed.closeCode !== null, 5000, 'both sockets closed');
	expect(s.liveClosed()).toBe(CloseCode.unauthorized);
	expect(s.feed.closeCode).toBe(CloseCode.unauthorized);
	return Date.now() - t0;
}

describe("[§6] a session's end ends its sockets", () => {
	it("sign-out closes that session's sockets with 4401 at once; an edit sent after it is not stored; other sessions carry on", async () => {
		const ana = await staffUser(server, admin, 'ana@example.com');
		const anaId = await ana.userId();
		const rec = await createCustomer(server, ana, 'session-out-1');
		const other = new Client(server.url);
		expect((await other.login('ana@example.com', 'staff-password-1')).status).toBe(303);
		const mine = await sockets(ana, rec.name, rec.update);
		const theirs = await sockets(other, rec.name, rec.update);

		expect((await ana.postForm('/logout', {})).status).toBe(303);
		const ms = await closedWith4401(mine);
		expect(ms).toBeLessThan(5000);
		// Whatever the signed-out socket still tries is refused: it is closed.
		updateCustomer(mine.local, { city: 'After sign-out' }, anaId, Date.now());
		// The other session of the same user still edits.
		updateCustomer(theirs.local, { city: 'Still signed in' }, anaId, Date.now());
		await until(
			() =>
				(query('SELECT city FROM customers WHERE id = ?', rec.name)[0] as { city: string }).city === 'Still signed in'
		);
		expect(theirs.liveClosed()).toBeNull();
		expect(theirs.feed.closeCode).toBeNull();
		expect(await upgradeStatus(server, ana, rec.name)).toBe(401);
		theirs.live.close();
		theirs.feed.close();
	});

	it('a password reset and a deactivation close every socket of that user', async () => {
		const ben = await staffUser(server, admin, 'ben@example.com');
		const benId = await ben.userId();
		const rec = await createCustomer(server, ben, 'session-reset-1');
		const s = await sockets(ben, rec.name, rec.update);
		const reset = await admin.postForm('/admin/staff?/resetPassword', { id: benId, password: 'new-password-123' });
		expect(reset.status).toBe(200);
		await closedWith4401(s);

		const again = new Client(server.url);
		expect((await again.login('ben@example.com', 'new-password-123')).status).toBe(303);
		const s2 = await sockets(again, rec.name, rec.update);
		expect((await admin.postForm('/admin/staff?/deactivate', { id: benId })).status).toBe(200);
		await closedWith4401(s2);
	});

	it('expiry: sockets close with 4401 when the session reaches its absolute lifetime, though in use', async () => {
		const short = await startServer({ SESSION_MAX_AGE_MS: '4000' });
		try {
			const a = new Client(short.url);
			expect((await a.login(ADMIN.email, ADMIN.password)).status).toBe(303);
			const signedInAt = Date.now();
			const rec = await createCustomer(short, a, 'session-expiry-1');
			const s = await sockets(a, rec.name, rec.update, short);
			await until(() => s.liveClosed() !== null && s.feed.closeCode !== null, 10_000, 'sockets closed at expiry');
			expect(s.liveClosed()).toBe(CloseCode.unauthorized);
			expect(s.feed.closeCode).toBe(CloseCode.unauthorized);
			// Closed at the deadline (4 s from sign-in), not much later.
			expect(Date.now() - signedInAt).toBeLessThan(4000 + 5000);
			expect(await upgradeStatus(short, a, rec.name)).toBe(401);
			expect((await a.request('/api/session', { headers: { accept: 'application/json' } })).status).toBe(401);
		} finally {
			await short.stop();
		}
	});
});

describe('[§8] JSON endpoints that change state check Origin', () => {
	it('a foreign or missing Origin is refused with 403 before the handler runs', async () => {
		const dee = await staffUser(server, admin, 'dee@example.com');
		for (const origin of ['http://evil.example', null, 'null']) {
			const res = await dee.request('/api/contacts/nope/set-password-email', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ idempotencyKey: 'origin-check-1' }),
				origin
			});
			expect(res.status, String(origin)).toBe(403);
		}
		// The same request from the app's own origin reaches the handler (404: no such contact).
		const own = await dee.request('/api/contacts/nope/set-password-email', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ idempotencyKey: 'origin-check-1' })
		});
		expect(own.status).toBe(404);
	});
});
