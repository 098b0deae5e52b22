/**
 * Background sync over one socket per device: batched catch-up since a global sequence,
 * live changes after it, and pushes of offline changes acknowledged after commit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FeedMsg } from '../../src/lib/schema/protocol.ts';
import { FeedClient } from './helpers/feed.ts';
import { createCustomer } from './helpers/records.ts';
import { initCustomer } from '../../src/lib/schema/customer-doc.ts';
import { Client } from './helpers/http.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { connect, until } from './helpers/sync.ts';

const cleanup: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
	while (cleanup.length) await cleanup.pop()!();
});

async function boot(env: Record<string, string> = {}, dataDir?: string): Promise<TestServer> {
	const server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000', ...env }, { dataDir, keepData: true });
	cleanup.push(() => server.stop());
	return server;
}

async function signIn(server: TestServer): Promise<Client> {
	const c = new Client(server.url);
	expect((await c.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	return c;
}

async function openFeed(server: TestServer, client: Client): Promise<FeedClient> {
	const f = await FeedClient.open(server, client);
	cleanup.push(() => f.close());
	return f;
}

const created = new Set<string>();

/** Writes a field into a document (created first, as a device would) through a live socket and waits for the commit. */
async function edit(server: TestServer, client: Client, doc: string, key: string, value: string): Promise<void> {
	if (!created.has(`${server.url} ${doc}`)) {
		await createCustomer(server, client, doc);
		created.add(`${server.url} ${doc}`);
	}
	const s = connect(server, client, doc);
	try {
		await until(() => s.provider.synced);
		s.doc.getMap('customer').set(key, value);
		await s.acks.whenCommitted();
	} finally {
		s.destroy();
	}
}

/** What a fresh device would hold after applying every change the feed sent. */
function apply(feed: FeedClient): Map<string, Y.Doc> {
	const docs = new Map<string, Y.Doc>();
	for (const m of feed.of(FeedMsg.change)) {
		const d = docs.get(m.doc) ?? new Y.Doc();
		Y.applyUpdate(d, m.update);
		docs.set(m.doc, d);
	}
	return docs;
}

describe('background sync feed', () => {
	it('a fresh device gets every document in one stream, then the sequence it has caught up to', async () => {
		const server = await boot();
		const c = await signIn(server);
		for (let i = 0; i < 5; i++) await edit(server, c, `doc-${i}`, 'companyName', `Company ${i}`);
		const feed = await openFeed(server, c);
		feed.send({ type: FeedMsg.hello, since: 0 });
		const [done] = await feed.waitFor(FeedMsg.caughtUp);
		const docs = apply(feed);
		expect([...docs.keys()].sort()).toEqual(['doc-0', 'doc-1', 'doc-2', 'doc-3', 'doc-4']);
		expect(docs.get('doc-3')!.getMap('customer').get('companyName')).toBe('Company 3');
		expect(done.seq).toBe(Math.max(...feed.of(FeedMsg.change).map((m) => m.seq)));
	});

	it('catch-up since a sequence sends only what changed after it, as diffs', async () => {
		const server = await boot();
		const c = await signIn(server);
		await edit(server, c, 'old', 'companyName', 'Old Ltd');
		await edit(server, c, 'changed', 'companyName', 'Changed Ltd');
		const first = await openFeed(server, c);
		first.send({ type: FeedMsg.hello, since: 0 });
		const [{ seq }] = await first.waitFor(FeedMsg.caughtUp);
		first.close();

		await edit(server, c, 'changed', 'city', 'Lyon');
		await edit(server, c, 'new', 'companyName', 'New SA');
		const later = await openFeed(server, c);
		later.send({ type: FeedMsg.hello, since: seq });
		await later.waitFor(FeedMsg.caughtUp);
		const changes = later.of(FeedMsg.change);
		expect(changes.map((m) => m.doc).sort()).toEqual(['changed', 'new']);
		const diff = new Y.Doc();
		Y.applyUpdate(diff, changes.find((m) => m.doc === 'changed')!.update);
		expect(diff.getMap('customer').get('city')).toBe('Lyon');
		expect(diff.getMap('customer').has('companyName')).toBe(false); // only the diff, not the whole document
	});

	it('a document compacted past the device’s point comes whole', async () => {
		const server = await boot({ SYNC_COMPACT_AFTER: '3' });
		const c = await signIn(server);
		await edit(server, c, 'busy', 'companyName', 'Busy GmbH');
		const feed = await openFeed(server, c);
		feed.send({ type: FeedMsg.hello, since: 0 });
		const [{ seq }] = await feed.waitFor(FeedMsg.caughtUp);
		feed.close();
		for (let i = 0; i < 6; i++) await edit(server, c, 'busy', 'description', `v${i}`);
		await new Promise((r) => setTimeout(r, 50));

		const later = await openFeed(server, c);
		later.send({ type: FeedMsg.hello, since: seq });
		await later.waitFor(FeedMsg.caughtUp);
		const doc = apply(later).get('busy')!;
		expect(doc.getMap('customer').toJSON()).toMatchObject({ companyName: 'Busy GmbH', description: 'v5' });
	});

	it('after catch-up, changes from other staff stream in live', async () => {
		const server = await boot();
		const c = await signIn(server);
		const feed = await openFeed(server, c);
		feed.send({ type: FeedMsg.hello, since: 0 });
		const [{ seq }] = await feed.waitFor(FeedMsg.caughtUp);
		await edit(server, c, 'live-doc', 'companyName', 'Live AG');
		const [change] = await feed.waitFor(FeedMsg.change);
		expect(change.doc).toBe('live-doc');
		expect(change.seq).toBeGreaterThan(seq);
	});

	it('offline changes pushed in a batch are acknowledged after commit and reach live viewers and restarts', async () => {
		const server = await boot();
		const c = await signIn(server);
		const existing = await createCustomer(server, c, 'pushed-1');
		const viewer = connect(server, c, 'pushed-1');
		cleanup.push(() => viewer.destroy());
		await until(() => viewer.provider.synced);

		// A device that worked offline: two documents, one of them new (created by its author).
		const device = new Map([
			['pushed-1', new Y.Doc()],
			['pushed-2', new Y.Doc()]
		]);
		Y.applyUpdate(device.get('pushed-1')!, existing.update);
		device.get('pushed-1')!.getMap('customer').set('companyName', 'Offline One');
		initCustomer(device.get('pushed-2')!, { kind: 'company', authorId: existing.authorId, now: 1 });
		device.get('pushed-2')!.getMap('customer').set('companyName', 'Offline Two');
		const feed = await openFeed(server, c);
		for (const [doc, d] of device) feed.send({ type: FeedMsg.push, doc, update: Y.encodeStateAsUpdate(d) });
		const acks = await feed.waitFor(FeedMsg.ack, 2);
		for (const ack of acks) {
			const committed = Y.decodeStateVector(ack.sv);
			const local = device.get(ack.doc)!;
			expect(committed.get(local.clientID)).toBe(Y.decodeStateVector(Y.encodeStateVector(local)).get(local.clientID));
		}
		await until(() => viewer.doc.getMap('customer').get('companyName') === 'Offline One');

		await server.stop('SIGKILL');
		const again = await boot({}, server.dataDir);
		const fresh = await openFeed(again, await signIn(again));
		fresh.send({ type: FeedMsg.hello, since: 0 });
		await fresh.waitFor(FeedMsg.caughtUp);
		const docs = apply(fresh);
		expect(docs.get('pushed-2')!.getMap('customer').get('companyName')).toBe('Offline Two');
	});

	it('a malformed push closes that feed and leaves the server serving others', async () => {
		const server = await boot();
		const c = await signIn(server);
		const bad = await openFeed(server, c);
		bad.ws.send(new Uint8Array([1, 3, 0x61, 0x62, 0x63, 5, 1, 2])); // push with a truncated update
		await until(() => bad.closeCode !== null);
		expect(bad.closeCode).toBe(4400);
		const good = await openFeed(server, c);
		good.send({ type: FeedMsg.hello, since: 0 });
		await good.waitFor(FeedMsg.caughtUp);
	});
});
