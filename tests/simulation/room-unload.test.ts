/**
 * [§6] A change that takes a reader's access away, sent on a record's live socket that closes
 * right after (the tab closed, the phone went into a tunnel): the server receives the frame and
 * the close in the same turn, before the group commit. The room must stay loaded until its
 * update is committed, because the commit's effects (access index, projection, revocations)
 * read the loaded document. Dropped at once, the update was stored with none of them: the user
 * who lost access kept the record on the device and got it again on every catch-up, until
 * someone edited the record again (found as a rare failure of convergence-sockets, seed 102).
 *
 * Deterministic: the in-process server and simulated links (harness/network.ts) decide when
 * each frame arrives and when the queue commits.
 */
import './harness/random.ts';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { customerMap, initCustomer } from '../../src/lib/schema/customer-doc.ts';
import { MessageType } from '../../src/lib/schema/protocol.ts';
import { SimDevice } from './harness/device.ts';
import { Link, type LinkClient } from './harness/network.ts';
import { linkedNet } from './harness/links.ts';
import { InProcessServer, type SimUser } from './harness/server.ts';

const ADMIN: SimUser = { id: 'user-admin', role: 'admin', email: 'admin@example.com' };
const BEN: SimUser = { id: 'user-ben', role: 'staff', email: 'ben@example.com' };

let server: InProcessServer | null = null;
afterEach(async () => {
	await server?.close();
	server = null;
});

function setup() {
	server = InProcessServer.start([ADMIN, BEN], { compactAfter: 1000 });
	const s = server;
	const { net, settle } = linkedNet(s);
	const admin = new SimDevice(0, ADMIN, net, 'fixed');
	const ben = new SimDevice(1, BEN, net, 'fixed');
	return { s, admin, ben, settle, net };
}

/** A raw live socket of the admin's on `doc` (what the app's live-doc.ts opens). */
function liveSocket(s: InProcessServer, doc: string): Link {
	const quiet: LinkClient = { onMessage: () => {}, onClose: () => {} };
	const link = new Link(1000, doc, ADMIN.id, quiet, () => {});
	expect(s.sync.attach(link.socket, ADMIN, doc, true)).toBe(true);
	return link;
}

function updateFrame(update: Uint8Array): Uint8Array {
	const enc = encoding.createEncoder();
	encoding.writeVarUint(enc, MessageType.sync);
	syncProtocol.writeUpdate(enc, update);
	return encoding.toUint8Array(enc);
}

describe('[§6] a live socket that closes in the turn it sent its last change', () => {
	it('the change is committed with its effects: the reader who lost access loses the record, now and on catch-up', () => {
		const { s, admin, ben, settle, net } = setup();
		admin.connect();
		ben.connect();
		settle();
		admin.edit('doc-1', (d) => {
			initCustomer(d, { kind: 'company', authorId: ADMIN.id, now: 1, fields: { companyName: 'Acme' } });
			customerMap(d).set('access', 'public-read');
		});
		settle();
		expect(ben.docs.has('doc-1')).toBe(true);

		// The admin makes the record private on its live socket, which closes in the same turn.
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(admin.docs.get('doc-1')!));
		const before = Y.encodeStateVector(copy);
		customerMap(copy).set('access', 'private');
		const live = liveSocket(s, 'doc-1');
		live.send(updateFrame(Y.encodeStateAsUpdate(copy, before)));
		live.deliverToServer();
		live.drop();
		live.noticeLoss();
		expect(s.sync.loadedDocuments).toBeGreaterThan(0); // held until the commit
		s.sync.queue.flush();
		settle();

		expect(s.access.canRead(BEN, 'doc-1')).toBe(false);
		expect(ben.docs.has('doc-1'), 'the feed told Ben to remove it').toBe(false);
		// The projection has the change too (the companies list reads it).
		const row = s.db.prepare(`SELECT access FROM customers WHERE id = ?`).get('doc-1') as { access: string };
		expect(row.access).toBe('private');

		// A fresh device of Ben's catches up without it.
		const fresh = new SimDevice(2, BEN, net, 'fixed');
		fresh.connect();
		settle();
		expect(fresh.caughtUp).toBe(true);
		expect(fresh.docs.has('doc-1')).toBe(false);
		// And the room was unloaded once committed (only the settings stay loaded).
		expect(s.sync.loadedDocuments).toBe(1);
	});
});
