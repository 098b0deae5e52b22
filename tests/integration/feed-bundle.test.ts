/**
 * Bundled background sync (issue #15 item 3, issue #13's import bench): a feed opened with
 * `?bundle=1`, as the app opens it, gets the messages of one server turn — a catch-up, a
 * commit's changes — in one FeedMsg.bundle frame (up to FEED_BUNDLE_BYTES), in the order they
 * were sent; a feed that did not ask gets one frame per message. A client may not send one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CATCH_UP_SLICE } from '../../server/sync/feed.ts';
import { addContact, initCustomer } from '../../src/lib/schema/customer-doc.ts';
import { encodeBundle, encodeFeed, type FeedMessage } from '../../src/lib/schema/feed-protocol.ts';
import { FeedMsg } from '../../src/lib/schema/protocol.ts';
import { FeedClient } from './helpers/feed.ts';
import { Client } from './helpers/http.ts';
import { runToEnd, uploadFile } from './helpers/imports.ts';
import { createCustomer } from './helpers/records.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/sync.ts';

let server: TestServer;
let admin: Client;
const DOCS = Array.from({ length: 40 }, (_, i) => `bundle-doc-${i}`);

beforeAll(async () => {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000' });
	admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	for (const doc of DOCS) await createCustomer(server, admin, doc);
});
afterAll(async () => {
	await server?.stop();
});

async function caughtUp(bundles: boolean): Promise<FeedClient> {
	const feed = await FeedClient.open(server, admin, { bundles });
	feed.send({ type: FeedMsg.hello, since: 0 });
	await feed.waitFor(FeedMsg.caughtUp);
	return feed;
}

const changedDocs = (feed: FeedClient) => feed.of(FeedMsg.change).map((m) => m.doc);

describe('[§9] bundled background sync', () => {
	it('a catch-up comes in a few frames, in order, with the same messages as one frame per message', async () => {
		const bundled = await caughtUp(true);
		const plain = await caughtUp(false);
		for (const doc of DOCS) expect(changedDocs(bundled)).toContain(doc);
		expect(bundled.messages).toEqual(plain.messages);
		// Changes in sequence order, caughtUp last.
		const seqs = bundled.of(FeedMsg.change).map((m) => m.seq);
		expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
		expect(bundled.messages.at(-1)?.type).toBe(FeedMsg.caughtUp);
		expect(plain.frames).toBe(plain.messages.length);
		// One frame per slice of the catch-up (feed.ts): at most one per CATCH_UP_SLICE.minDocs documents.
		expect(bundled.frames).toBeLessThanOrEqual(Math.ceil((DOCS.length + 1) / CATCH_UP_SLICE.minDocs));
		bundled.close();
		plain.close();
	});

	it("live: an import's changes reach a bundling feed in a few frames; every change arrives once", async () => {
		const bundled = await caughtUp(true);
		const plain = await caughtUp(false);
		const [framesBefore, plainBefore] = [bundled.frames, plain.frames];
		const names = Array.from({ length: 30 }, (_, i) => `Bundle${i}`);
		const csv = ['First Name,Last Name,E-mail', ...names.map((n) => `${n},Live,${n.toLowerCase()}@bundle.example`)];
		const upload = await uploadFile(admin, csv.join('\r\n') + '\r\n', 'bundle.csv');
		expect(upload.status).toBe(201);
		const report = await runToEnd(admin, String(upload.body.id));
		expect(report.counts.imported).toBe(names.length);
		// The import commits its rows together: a handful of commits, not one per row.
		const imported = (feed: FeedClient) => feed.of(FeedMsg.change).length - DOCS.length;
		await until(
			() => imported(bundled) >= names.length && imported(plain) >= names.length,
			5000,
			'every row on both feeds'
		);
		expect(bundled.of(FeedMsg.change).slice(DOCS.length)).toEqual(plain.of(FeedMsg.change).slice(DOCS.length));
		expect(plain.frames - plainBefore).toBe(names.length);
		expect(bundled.frames - framesBefore).toBeLessThanOrEqual(3);
		bundled.close();
		plain.close();
	});

	it("a new record reaches another device as its own first update, and the server's repair in the same commit as itself", async () => {
		const watcher = await caughtUp(false);
		const before = watcher.messages.length;
		const pusher = await FeedClient.open(server, admin);
		const name = `first-update-${Date.now()}`;
		const doc = new Y.Doc();
		initCustomer(doc, {
			kind: 'company',
			authorId: await admin.userId(),
			now: Date.now(),
			fields: { companyName: 'First' }
		});
		// A primary contact that is not there: the server repairs that (the one contact there is
		// becomes the primary) as its own change, in the same turn, so both are in one commit.
		addContact(doc, { id: 'c-1', fields: { firstName: 'Ada' }, authorId: await admin.userId(), now: Date.now() });
		doc.getMap('customer').set('primaryContactId', 'c-gone');
		const created = Y.encodeStateAsUpdate(doc);
		pusher.send({ type: FeedMsg.push, doc: name, update: created });
		await pusher.waitFor(FeedMsg.ack);
		const ofDoc = () =>
			watcher.messages
				.slice(before)
				.filter(
					(m): m is Extract<FeedMessage, { type: typeof FeedMsg.change }> => m.type === FeedMsg.change && m.doc === name
				);
		await until(() => ofDoc().length >= 2, 5000, 'the creation and the repair');
		await new Promise((r) => setTimeout(r, 100));
		const [first, repair, ...more] = ofDoc();
		expect(more).toEqual([]);
		// The watcher gained access: the document's first update is all of it then (not a copy
		// encoded again), and the repair comes as itself, not as the whole document a second time.
		expect(first.update).toEqual(created);
		expect(repair.update.length).toBeLessThan(created.length);
		const replica = new Y.Doc();
		Y.applyUpdate(replica, first.update);
		Y.applyUpdate(replica, repair.update);
		expect(replica.getMap('customer').get('primaryContactId')).toBe('c-1');
		watcher.close();
		pusher.close();
	});

	it('[§8] a client that sends a bundle is closed; the server serves on', async () => {
		const forger = await FeedClient.open(server, admin);
		forger.ws.send(encodeBundle([encodeFeed({ type: FeedMsg.hello, since: 0 })]));
		await until(() => forger.closeCode !== null, 5000, 'the forger closed');
		expect(forger.closeCode).toBeGreaterThanOrEqual(4000);
		expect(forger.messages).toEqual([]);
		const honest = await caughtUp(true);
		expect(changedDocs(honest)).toContain(DOCS[0]);
		honest.close();
	});
});
