/**
 * Rules (issue #9, README "Security"):
 * - Presence shows the staff directory's name for the socket's user, whatever the client sends.
 * - One account cannot take the server from everyone else: open sockets per user are capped
 *   (HTTP 429 over SYNC_MAX_SOCKETS_PER_USER), sync bytes per user per second are budgeted
 *   (held back, the socket paused; 4429 for a flood that keeps going), and a customer's size
 *   is capped (SYNC_MAX_CONTACTS: an update past it is refused, 4413, and lands in the
 *   device's "not saved").
 */
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addContact } from '../../src/lib/schema/customer-doc.ts';
import { CloseCode, MessageType } from '../../src/lib/schema/protocol.ts';
import { FeedClient } from './helpers/feed.ts';
import { FrameSocket, upgradeStatus } from './helpers/frames.ts';
import { honestEditor, loopDelay, resetLoopDelay } from './helpers/honest.ts';
import { Client } from './helpers/http.ts';
import { createCustomer } from './helpers/records.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { push, staffUser } from './helpers/staff.ts';
import { connect, until } from './helpers/sync.ts';

const BUDGET = 128 * 1024;
const MAX_MESSAGE = 128 * 1024;
/** The burst a user may send at once: twice the budget, at least one largest message. */
const BURST = Math.max(2 * BUDGET, MAX_MESSAGE);
let server: TestServer;
let admin: Client;
let eve: Client;
let eveId: string;

beforeAll(async () => {
	server = await startServer({
		LOGIN_MAX_PER_ADDRESS: '10000',
		SYNC_MAX_SOCKETS_PER_USER: '4',
		SYNC_MAX_CONTACTS: '5',
		SYNC_BYTES_PER_USER_PER_SEC: String(BUDGET),
		SYNC_MAX_MESSAGE_BYTES: String(MAX_MESSAGE)
	});
	admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	eve = await staffUser(server, admin, 'eve@example.com');
	eveId = await eve.userId();
});
afterAll(async () => {
	await server?.stop();
});

describe('[§6] presence shows who the socket belongs to', () => {
	it("the name others see is the directory's, not the one the client claims", async () => {
		const rec = await createCustomer(server, admin, 'presence-name-1', { access: 'public-write' });
		const watcher = connect(server, admin, rec.name);
		const liar = connect(server, eve, rec.name);
		try {
			await until(() => watcher.provider.synced && liar.provider.synced);
			liar.provider.awareness.setLocalStateField('user', { id: eveId, name: 'Alice (Admin)', color: '#f00' });
			const seen = () =>
				[...watcher.provider.awareness.getStates().values()].find(
					(s) => (s as { user?: { id?: string } }).user?.id === eveId
				) as { user: { name?: string; color?: string } } | undefined;
			await until(() => seen() !== undefined, 5000, "eve's presence");
			expect(seen()!.user.name).toBe('eve');
			expect(seen()!.user.color).toBe('#f00');
		} finally {
			watcher.destroy();
			liar.destroy();
		}
	});
});

describe('[§8] one account cannot take the server from everyone else', () => {
	it('open sockets per user are capped: over SYNC_MAX_SOCKETS_PER_USER the upgrade gets 429, others are unaffected', async () => {
		const feeds: FeedClient[] = [];
		try {
			for (let i = 0; i < 4; i++) feeds.push(await FeedClient.open(server, eve));
			expect(await upgradeStatus(server, eve, null)).toBe(429);
			expect(await upgradeStatus(server, admin, null)).toBe(101);
			feeds.pop()!.close();
			await new Promise((r) => setTimeout(r, 300)); // the server sees the close
			expect(await upgradeStatus(server, eve, null)).toBe(101);
		} finally {
			for (const f of feeds) f.close();
		}
	});

	it("a customer's contacts are capped: an update past SYNC_MAX_CONTACTS is refused whole (4413), nothing stored", async () => {
		const rec = await createCustomer(server, eve, 'contacts-cap-1');
		const feed = await FeedClient.open(server, eve);
		try {
			const d = new Y.Doc();
			Y.applyUpdate(d, rec.update);
			const sv = Y.encodeStateVector(d);
			for (let i = 0; i < 4; i++)
				addContact(d, { id: `k-${i}`, fields: { firstName: `P${i}` }, authorId: eveId, now: i });
			expect(await push(feed, rec.name, Y.encodeStateAsUpdate(d, sv))).toBeNull();
			const accepted = Y.encodeStateAsUpdate(d);

			const over = new Y.Doc();
			Y.applyUpdate(over, accepted);
			const before = Y.encodeStateVector(over);
			for (let i = 4; i < 6; i++)
				addContact(over, { id: `k-${i}`, fields: { firstName: `P${i}` }, authorId: eveId, now: i });
			const refused = await push(feed, rec.name, Y.encodeStateAsUpdate(over, before));
			expect(refused).toMatchObject({ code: CloseCode.tooLarge });
			expect(refused!.reason).toMatch(/too many records in contacts: at most 5/);

			// The fifth alone is within the limit.
			const fifth = new Y.Doc();
			Y.applyUpdate(fifth, accepted);
			const sv5 = Y.encodeStateVector(fifth);
			addContact(fifth, { id: 'k-fifth', fields: { firstName: 'Five' }, authorId: eveId, now: 9 });
			expect(await push(feed, rec.name, Y.encodeStateAsUpdate(fifth, sv5))).toBeNull();
		} finally {
			feed.close();
		}
	});

	it(
		'sync bytes per user are budgeted: a flood is slowed to the budget while the server’s event-loop delay stays at p99 < 100 ms',
		{ timeout: 60_000 },
		async () => {
			const rec = await createCustomer(server, admin, 'budget-1', { access: 'public-write' });
			const honest = await honestEditor(server, admin, rec.name, rec.update);
			await resetLoopDelay(admin);
			const flood = await FrameSocket.open(server, eve, rec.name);
			// Valid sync step 1 frames with large state vectors: each is handled (answered with a
			// step 2), so only the budget can slow them down.
			const frame = (() => {
				const sv = encoding.createEncoder();
				const n = 10_000;
				encoding.writeVarUint(sv, n);
				for (let i = 0; i < n; i++) {
					encoding.writeVarUint(sv, 1_000_000 + i);
					encoding.writeVarUint(sv, 1);
				}
				const e = encoding.createEncoder();
				encoding.writeVarUint(e, MessageType.sync);
				encoding.writeVarUint(e, 0);
				encoding.writeVarUint8Array(e, encoding.toUint8Array(sv));
				return encoding.toUint8Array(e);
			})();
			const frames = Math.ceil((BURST + 2 * BUDGET) / frame.length);
			const t0 = performance.now();
			for (let i = 0; i < frames; i++) flood.send(frame);
			await flood.roundTrip(30_000);
			const took = performance.now() - t0;
			await honest.stop();
			const lag = await loopDelay(admin);
			const beyondBurst = frames * frame.length - BURST;
			console.log(
				`budget: ${frames} frames of ${frame.length} B answered after ${took.toFixed(0)} ms ` +
					`(budget ${BUDGET} B/s); server event-loop delay p99 ${lag.p99} ms; honest edit→ack p99 ${honest.percentile(99).toFixed(1)} ms over ${honest.acked()} edits`
			);
			expect(took).toBeGreaterThan((beyondBurst / BUDGET) * 1000 * 0.7);
			expect(flood.open).toBe(true);
			expect(lag.p99).toBeLessThan(100);
			flood.close();
		}
	);
});
