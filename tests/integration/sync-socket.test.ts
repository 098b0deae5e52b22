/**
 * The /sync endpoint on the real server: the upgrade is authenticated and its Origin checked
 * before any document is looked at; the stock y-websocket client syncs through it; a
 * deactivated user's open socket is closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/schema/protocol.ts';
import { Client } from './helpers/http.ts';
import { createCustomer } from './helpers/records.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let wsBase: string;

beforeAll(async () => {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000' });
	wsBase = server.url.replace(/^http/, 'ws') + '/sync';
});
afterAll(async () => {
	await server?.stop();
});

/** Opens a raw socket; resolves with the HTTP status of a refused upgrade, or 101 when open. */
function tryUpgrade(path: string, headers: Record<string, string>): Promise<{ status: number; ws?: WebSocket }> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(wsBase + path, { headers });
		ws.once('open', () => resolve({ status: 101, ws }));
		ws.once('unexpected-response', (_req, res) => {
			resolve({ status: res.statusCode ?? 0 });
			ws.terminate();
		});
		ws.once('error', (e) => reject(e));
	});
}

async function signedIn(email = ADMIN.email, password = ADMIN.password): Promise<Client> {
	const c = new Client(server.url);
	const res = await c.login(email, password);
	expect(res.status).toBe(303);
	return c;
}

function providerFor(client: Client, room: string, doc: Y.Doc): WebsocketProvider {
	const headers = { cookie: client.cookieHeader, origin: server.origin };
	class AuthedWebSocket extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers });
		}
	}
	return new WebsocketProvider(wsBase, room, doc, {
		WebSocketPolyfill: AuthedWebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
}

function until(cond: () => boolean, ms = 5000): Promise<void> {
	return new Promise((resolve, reject) => {
		const t0 = Date.now();
		const tick = () => {
			if (cond()) return resolve();
			if (Date.now() - t0 > ms) return reject(new Error('timed out'));
			setTimeout(tick, 20);
		};
		tick();
	});
}

describe('/sync upgrade', () => {
	it('refuses an upgrade without a session (401) and never opens a socket', async () => {
		expect((await tryUpgrade('/doc-a', { origin: server.origin })).status).toBe(401);
	});

	it('refuses an upgrade with a forged or expired session token (401)', async () => {
		const headers = { origin: server.origin, cookie: 'fieldbook_session=abcdefghijklmnopqrstuvwxyz234567' };
		expect((await tryUpgrade('/doc-a', headers)).status).toBe(401);
	});

	it('refuses an upgrade from a foreign Origin even with a valid session (403)', async () => {
		const c = await signedIn();
		expect((await tryUpgrade('/doc-a', { origin: 'https://evil.example', cookie: c.cookieHeader })).status).toBe(403);
		expect((await tryUpgrade('/doc-a', { cookie: c.cookieHeader })).status).toBe(403); // no Origin at all
	});

	it('refuses a malformed document name (400)', async () => {
		const c = await signedIn();
		const headers = { origin: server.origin, cookie: c.cookieHeader };
		expect((await tryUpgrade('/..%2Fusers', headers)).status).toBe(400);
		expect((await tryUpgrade('/' + 'x'.repeat(65), headers)).status).toBe(400);
	});

	it('two stock y-websocket clients with sessions see each other’s edits live', async () => {
		const c = await signedIn();
		await createCustomer(server, c, 'room-live');
		const a = new Y.Doc();
		const b = new Y.Doc();
		const pa = providerFor(c, 'room-live', a);
		const pb = providerFor(c, 'room-live', b);
		try {
			await until(() => pa.synced && pb.synced);
			a.getMap('customer').set('companyName', 'Acme GmbH');
			await until(() => b.getMap('customer').get('companyName') === 'Acme GmbH');
			b.getMap('customer').set('city', 'Köln');
			await until(() => a.getMap('customer').get('city') === 'Köln');
			expect(a.getMap('customer').toJSON()).toEqual(b.getMap('customer').toJSON());
			expect(a.getMap('customer').toJSON()).toMatchObject({ companyName: 'Acme GmbH', city: 'Köln' });
		} finally {
			pa.destroy();
			pb.destroy();
		}
	});

	it('closes a socket that sends a malformed frame, and keeps serving others', async () => {
		const c = await signedIn();
		await createCustomer(server, c, 'room-fuzz');
		const { ws } = await tryUpgrade('/room-fuzz', { origin: server.origin, cookie: c.cookieHeader });
		const closed = new Promise<number>((resolve) => ws!.once('close', (code) => resolve(code)));
		ws!.send(new Uint8Array([0, 2, 0xff, 0xff, 0xff])); // sync update with a truncated length
		expect(await closed).toBe(CloseCode.malformed);
		const again = await tryUpgrade('/room-fuzz', { origin: server.origin, cookie: c.cookieHeader });
		expect(again.status).toBe(101);
		again.ws!.close();
	});

	it("closes a deactivated user's open socket with a code the client does not retry", async () => {
		const admin = await signedIn();
		const added = await admin.postForm('/admin/staff?/create', {
			name: 'Field Rep',
			email: 'rep@example.com',
			role: 'staff',
			password: 'rep-password'
		});
		expect(added.status).toBe(200);
		const rep = await signedIn('rep@example.com', 'rep-password');
		await createCustomer(server, admin, 'room-rep', { access: 'public-read' });
		const { ws } = await tryUpgrade('/room-rep', { origin: server.origin, cookie: rep.cookieHeader });
		const closed = new Promise<number>((resolve) => ws!.once('close', (code) => resolve(code)));

		const id = await admin.staffId('rep@example.com');
		// The admin action runs in the SvelteKit handler; the socket lives in the sync server.
		expect((await admin.postForm('/admin/staff?/deactivate', { id })).status).toBe(200);
		const code = await closed;
		expect(code).toBe(CloseCode.unauthorized);
		expect(code).toBeGreaterThanOrEqual(4400);
		expect(code).toBeLessThan(4500);
		expect((await tryUpgrade('/room-rep', { origin: server.origin, cookie: rep.cookieHeader })).status).toBe(401);
	});
});
