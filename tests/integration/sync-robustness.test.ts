/**
 * Protocol robustness on the real server (SPEC §8 "malformed or oversized sync message: that
 * connection is refused or closed; the server and everyone else carry on"): each kind of bad
 * frame closes its own socket with its documented code (CloseCode), presence carries only
 * its sender's identity (read-only viewers' included), and upgrades are rate limited per
 * address and per user.
 */
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CloseCode, FeedMsg, MessageType, PRESENCE_LIMITS, SYNC_PATH } from '../../src/lib/schema/protocol.ts';
import { FrameSocket, upgradeStatus } from './helpers/frames.ts';
import { Client } from './helpers/http.ts';
import { createCustomer } from './helpers/records.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { connect, until, type SyncClient } from './helpers/sync.ts';

const MAX_MESSAGE = 64 * 1024;
const DOC = 'robust-doc';

let server: TestServer;
let admin: Client;
let adminId: string;
/** An honest client that stays connected through every test here, and must keep syncing. */
let bystander: SyncClient;

beforeAll(async () => {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000', SYNC_MAX_MESSAGE_BYTES: String(MAX_MESSAGE) });
	admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	adminId = await admin.userId();
	await createCustomer(server, admin, DOC, { access: 'public-read' });
	bystander = connect(server, admin, DOC);
	bystander.provider.awareness.setLocalStateField('user', { id: adminId, name: 'Admin' });
	await until(() => bystander.provider.synced);
});
afterAll(async () => {
	bystander?.destroy();
	await server?.stop();
});

/** A y-protocols awareness message with entries whose JSON is given as is. */
function presence(...entries: [clientID: number, clock: number, json: string][]): Uint8Array {
	const inner = encoding.createEncoder();
	encoding.writeVarUint(inner, entries.length);
	for (const [clientID, clock, json] of entries) {
		encoding.writeVarUint(inner, clientID);
		encoding.writeVarUint(inner, clock);
		encoding.writeVarString(inner, json);
	}
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MessageType.awareness);
	encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
	return encoding.toUint8Array(e);
}

const bytes = (...b: number[]) => new Uint8Array(b);

/** The bystander still edits and sees the result committed: the server and its socket carry on. */
async function bystanderStillSyncs(): Promise<void> {
	const value = `City ${Math.random().toString(36).slice(2, 8)}`;
	bystander.doc.getMap('customer').set('city', value);
	await bystander.acks.whenCommitted();
	expect(bystander.provider.wsconnected).toBe(true);
}

describe('[§8] a bad frame on /sync closes that socket with its documented code', () => {
	const cases: [string, Uint8Array | string, number][] = [
		['a text frame', 'hello', CloseCode.malformed],
		['an empty frame', bytes(), CloseCode.malformed],
		['a truncated varint', bytes(0x80), CloseCode.malformed],
		['an unknown message type', bytes(7, 0), CloseCode.malformed],
		['a message type only the server sends (ack)', bytes(MessageType.ack, 1, 0), CloseCode.malformed],
		['an auth message', bytes(MessageType.auth, 0), CloseCode.malformed],
		['a sync message without its step', bytes(0), CloseCode.malformed],
		['an unknown sync step', bytes(0, 9, 2, 0, 0), CloseCode.malformed],
		['a length past the end of the frame', bytes(0, 2, 0xff, 0xff, 0x03, 0, 0), CloseCode.malformed],
		['trailing bytes after an update', bytes(0, 2, 2, 0, 0, 0), CloseCode.malformed],
		['a state vector of zero bytes (sync step 1)', bytes(0, 0, 0), CloseCode.malformed],
		['an update of zero bytes (sync step 2)', bytes(0, 1, 0), CloseCode.malformed],
		['an update of zero bytes', bytes(0, 2, 0), CloseCode.malformed],
		['an update that is no Yjs update', bytes(0, 2, 3, 0xff, 0xff, 0xff), CloseCode.invalidUpdate],
		['an awareness update that does not decode', bytes(MessageType.awareness, 1, 0x80), CloseCode.malformed],
		['presence that is not JSON', presence([77, 1, '{"user":']), CloseCode.malformed],
		['presence that is not an object', presence([77, 1, '[1,2]']), CloseCode.malformed],
		['presence nested too deep', presence([77, 1, '{"a":'.repeat(40) + '1' + '}'.repeat(40)]), CloseCode.malformed],
		[
			'presence over the size limit',
			presence([77, 1, `{"x":"${'x'.repeat(PRESENCE_LIMITS.stateBytes)}"}`]),
			CloseCode.tooLarge
		],
		['presence naming another user', presence([77, 1, '{"user":{"id":"someone-else"}}']), CloseCode.forbidden],
		['a frame over SYNC_MAX_MESSAGE_BYTES', new Uint8Array(MAX_MESSAGE + 1), CloseCode.messageTooBig]
	];

	it.each(cases)('%s', async (_what, frame, code) => {
		const s = await FrameSocket.open(server, admin, DOC);
		s.send(frame);
		expect(await s.closed).toBe(code);
		await bystanderStillSyncs();
	});

	it('handles nothing a socket sends after the frame that got it closed', async () => {
		const s = await FrameSocket.open(server, admin, DOC);
		s.send(bytes(0x80)); // refused…
		s.send(presence([6161, 1, JSON.stringify({ user: { id: adminId } })])); // …so this is never relayed
		expect(await s.closed).toBe(CloseCode.malformed);
		await bystanderStillSyncs();
		expect(bystander.provider.awareness.getStates().has(6161)).toBe(false);
	});

	it('accepts what stock clients send that looks empty: the empty update (two bytes) and empty presence', async () => {
		const s = await FrameSocket.open(server, admin, DOC);
		s.send(bytes(0, 1, 2, 0, 0)); // sync step 2 of a client that holds nothing
		s.send(bytes(0, 2, 2, 0, 0)); // an update with nothing in it
		s.send(bytes(MessageType.awareness, 1, 0)); // an awareness update of no clients
		s.send(presence([78, 1, '{}'])); // the stock client's initial state: anonymous
		await s.roundTrip();
		expect(s.open).toBe(true);
		expect(s.closeCode).toBeNull();
		s.close();
	});
});

describe('[§8] a bad frame on /feed closes that feed', () => {
	it.each([
		['an unknown feed message', bytes(50), CloseCode.malformed],
		['a message only the server sends', bytes(FeedMsg.caughtUp, 5), CloseCode.malformed],
		['a truncated varint', bytes(FeedMsg.hello, 0x80), CloseCode.malformed],
		['a push to a malformed document name', bytes(FeedMsg.push, 3, 0x2e, 0x2e, 0x2f, 2, 0, 0), CloseCode.malformed],
		['a push of zero bytes', bytes(FeedMsg.push, 1, 0x61, 0), CloseCode.malformed],
		['trailing bytes', bytes(FeedMsg.hello, 0, 0), CloseCode.malformed],
		['a frame over SYNC_MAX_MESSAGE_BYTES', new Uint8Array(MAX_MESSAGE + 1), CloseCode.messageTooBig]
	])('%s', async (_what, frame, code) => {
		const s = await FrameSocket.open(server, admin, null);
		s.send(frame);
		expect(await s.closed).toBe(code);
		await bystanderStillSyncs();
	});
});

describe('[§6] presence carries only its sender’s identity', () => {
	it("a read-only viewer's presence is relayed under their own name; one claiming another's is closed", async () => {
		const added = await admin.postForm('/admin/staff?/create', {
			name: 'Viewer',
			email: 'viewer@example.com',
			role: 'staff',
			password: 'viewer-password'
		});
		expect(added.status).toBe(200);
		const viewer = new Client(server.url);
		expect((await viewer.login('viewer@example.com', 'viewer-password')).status).toBe(303);
		const viewerId = await viewer.userId();

		// The viewer may read DOC (public-read) but not change it; the stock client as the app uses it.
		const doc = new Y.Doc();
		const provider = stockProvider(viewer, DOC, doc);
		try {
			provider.awareness.setLocalStateField('user', { id: viewerId, name: 'Viewer' });
			const seen = () => bystander.provider.awareness.getStates().get(doc.clientID);
			await until(() => (seen()?.user as { id?: string } | undefined)?.id === viewerId, 5000, "the viewer's presence");
			expect(seen()).toEqual({ user: { id: viewerId, name: 'Viewer' } });
			provider.awareness.setLocalStateField('editing', 'customer.city');
			await until(() => seen()?.editing === 'customer.city', 5000, 'the field the viewer is on');

			// A socket of the viewer that claims the admin's identity is closed, and nobody sees it.
			const forger = await FrameSocket.open(server, viewer, DOC);
			forger.send(presence([4242, 1, JSON.stringify({ user: { id: adminId, name: 'Admin' } })]));
			expect(await forger.closed).toBe(CloseCode.forbidden);
			// Nor may it take over the client id of another user's live socket.
			const hijack = await FrameSocket.open(server, viewer, DOC);
			hijack.send(presence([bystander.doc.clientID, 1_000_000, JSON.stringify({ user: { id: viewerId } })]));
			expect(await hijack.closed).toBe(CloseCode.forbidden);

			await bystanderStillSyncs();
			expect(bystander.provider.awareness.getStates().has(4242)).toBe(false);
			expect(provider.wsconnected).toBe(true); // the viewer's own socket carries on
		} finally {
			provider.destroy();
			doc.destroy();
		}
	});

	it('a closed socket’s presence is removed for everyone', async () => {
		const s = await FrameSocket.open(server, admin, DOC);
		s.send(presence([5151, 1, JSON.stringify({ user: { id: adminId } })]));
		await until(() => bystander.provider.awareness.getStates().has(5151), 5000, 'the presence');
		// The name is the staff directory's (the admin made from ADMIN_EMAIL is "admin").
		expect(bystander.provider.awareness.getStates().get(5151)).toEqual({ user: { id: adminId, name: 'admin' } });
		s.close();
		await until(() => !bystander.provider.awareness.getStates().has(5151), 5000, 'the presence removed');
	});
});

function stockProvider(client: Client, doc: string, ydoc: Y.Doc): WebsocketProvider {
	const headers = { cookie: client.cookieHeader, origin: server.origin };
	class AuthedWebSocket extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers });
		}
	}
	return new WebsocketProvider(server.url.replace(/^http/, 'ws') + SYNC_PATH, doc, ydoc, {
		WebSocketPolyfill: AuthedWebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
}

describe('[§8] upgrades are rate limited per address and per user', () => {
	let limited: TestServer;
	const WINDOW_MS = 3000;

	beforeAll(async () => {
		limited = await startServer({
			LOGIN_MAX_PER_ADDRESS: '10000',
			SYNC_UPGRADES_PER_USER: '4',
			SYNC_UPGRADES_PER_ADDRESS: '10',
			SYNC_UPGRADE_WINDOW_MS: String(WINDOW_MS)
		});
	});
	afterAll(async () => {
		await limited?.stop();
	});

	it('refuses with 429 past either limit, before any document is looked at, until the window ends', async () => {
		const a = new Client(limited.url);
		expect((await a.login(ADMIN.email, ADMIN.password)).status).toBe(303);
		expect(
			(
				await a.postForm('/admin/staff?/create', {
					name: 'Bea',
					email: 'bea@example.com',
					role: 'staff',
					password: 'bea-password'
				})
			).status
		).toBe(200);
		const b = new Client(limited.url);
		expect((await b.login('bea@example.com', 'bea-password')).status).toBe(303);
		await createCustomer(limited, a, 'limited-doc'); // one upgrade (its feed)
		await new Promise((r) => setTimeout(r, WINDOW_MS + 100)); // fresh windows from here

		// Per user: 4 upgrades, then 429 — even for a document that does not exist (403 otherwise).
		for (let i = 0; i < 4; i++) expect(await upgradeStatus(limited, a, i % 2 ? null : 'limited-doc')).toBe(101);
		expect(await upgradeStatus(limited, a, 'no-such-doc')).toBe(429);
		expect(await upgradeStatus(limited, a, null)).toBe(429);
		// Another user from the same address is not held up by it.
		expect(await upgradeStatus(limited, b, null)).toBe(101);
		// Per address: 7 attempts so far; three without a session fill it, then even Bea waits.
		for (let i = 0; i < 3; i++) expect(await upgradeStatus(limited, null, null)).toBe(401);
		expect(await upgradeStatus(limited, b, null)).toBe(429);
		expect(await upgradeStatus(limited, null, null)).toBe(429);

		// HTTP is not held up, and once the window has passed both may connect again.
		expect((await a.request('/api/session', { headers: { accept: 'application/json' } })).status).toBe(200);
		await new Promise((r) => setTimeout(r, WINDOW_MS + 100));
		expect(await upgradeStatus(limited, a, 'limited-doc')).toBe(101);
		expect(await upgradeStatus(limited, b, null)).toBe(101);
	});
});
