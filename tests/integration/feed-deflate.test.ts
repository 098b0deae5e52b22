/**
 * permessage-deflate on the background-sync socket (issue #15 item 3): negotiated with a client
 * that offers it (Chromium always does), catch-up arrives intact and smaller; document sockets
 * stay uncompressed; and a compressed frame that would inflate past the message limit is
 * refused (1009) without the server expanding it — the server goes on serving everyone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeFeed, encodeFeed } from '../../src/lib/schema/feed-protocol.ts';
import { FEED_PATH, FeedMsg, SYNC_PATH } from '../../src/lib/schema/protocol.ts';
import { Client } from './helpers/http.ts';
import { createCustomer } from './helpers/records.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let admin: Client;
const DOCS = Array.from({ length: 40 }, (_, i) => `deflate-doc-${i}`);

beforeAll(async () => {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000', SYNC_MAX_MESSAGE_BYTES: String(256 * 1024) });
	admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	for (const doc of DOCS) await createCustomer(server, admin, doc);
});
afterAll(async () => {
	await server?.stop();
});

function open(path: string, deflate: boolean): Promise<WebSocket> {
	const ws = new WebSocket(server.url.replace(/^http/, 'ws') + path, {
		headers: { cookie: admin.cookieHeader, origin: server.origin },
		perMessageDeflate: deflate
	});
	return new Promise((resolve, reject) => {
		ws.once('open', () => resolve(ws));
		ws.once('error', reject);
	});
}

/** Hello from 0, then every frame until caughtUp: the documents named and the bytes read on the wire. */
async function catchUp(deflate: boolean): Promise<{ docs: Set<string>; wire: number; extensions: string }> {
	const ws = await open(FEED_PATH, deflate);
	const docs = new Set<string>();
	await new Promise<void>((resolve) => {
		ws.on('message', (data: Buffer) => {
			const m = decodeFeed(new Uint8Array(data));
			if (m.type === FeedMsg.change) docs.add(m.doc);
			if (m.type === FeedMsg.caughtUp) resolve();
		});
		ws.send(encodeFeed({ type: FeedMsg.hello, since: 0 }));
	});
	const wire = (ws as unknown as { _socket: { bytesRead: number } })._socket.bytesRead;
	const extensions = ws.extensions;
	ws.close();
	return { docs, wire, extensions };
}

describe('[§9] background sync with permessage-deflate', () => {
	it('is negotiated on the feed; the catch-up holds every document and takes fewer bytes on the wire', async () => {
		const packed = await catchUp(true);
		const plain = await catchUp(false);
		expect(packed.extensions).toContain('permessage-deflate');
		expect(plain.extensions).toBe('');
		for (const doc of DOCS) expect(packed.docs.has(doc), doc).toBe(true);
		expect([...packed.docs].sort()).toEqual([...plain.docs].sort());
		expect(packed.wire).toBeLessThan(plain.wire * 0.6);
	});

	it('is not negotiated on a document socket', async () => {
		const ws = await open(`${SYNC_PATH}/${DOCS[0]}?ack=1`, true);
		expect(ws.extensions).toBe('');
		ws.close();
	});

	it('a compressed frame that inflates past the limit closes that socket (1009); the server serves on', async () => {
		const ws = await open(FEED_PATH, true);
		// 64 MB of zeros is about 64 kB compressed: it must not be inflated whole.
		const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
		ws.send(Buffer.alloc(64 * 1024 * 1024), { compress: true });
		expect(await closed).toBe(1009);
		const again = await catchUp(true);
		expect(again.docs.size).toBeGreaterThanOrEqual(DOCS.length);
		expect((await admin.request('/api/session')).status).toBe(200);
	});
});
