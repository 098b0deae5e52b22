/**
 * [§5][§9] A catch-up spread over turns of the server (issue #15 item 3: a fresh device's
 * 10,000 documents must not stop other users' edits for seconds). Here each turn sends one
 * document, and between turns other users edit documents already sent and not yet sent, the
 * logs are compacted, a record is created, and one is made private. The device must end with
 * exactly what the server holds for it; one that drops mid catch-up starts over from its old
 * sequence number and ends the same.
 *
 * Deterministic: the in-process server and simulated links (harness/network.ts); the server's
 * next slice runs when the test lets the event loop turn.
 */
import './harness/random.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { customerMap, initCustomer } from '../../src/lib/schema/customer-doc.ts';
import { checkDevices } from './harness/checks.ts';
import { SimDevice } from './harness/device.ts';
import { linkedNet } from './harness/links.ts';
import { InProcessServer, type SimUser } from './harness/server.ts';

const ADMIN: SimUser = { id: 'user-admin', role: 'admin', email: 'admin@example.com' };
const BEN: SimUser = { id: 'user-ben', role: 'staff', email: 'ben@example.com' };
const DOCS = 24;

let server: InProcessServer | null = null;
afterEach(async () => {
	await server?.close();
	server = null;
});

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Logs are compacted every `compactAfter` updates (of a loaded room): some under the catch-up. */
function setup(compactAfter = 2) {
	server = InProcessServer.start([ADMIN, BEN], { compactAfter, catchUpSlice: { ms: 0, minDocs: 1 } });
	const s = server;
	const { net, settle } = linkedNet(s);
	const admin = new SimDevice(0, ADMIN, net, 'fixed');
	admin.connect();
	settle();
	// One update each: not compacted yet. The next edit of one compacts it (its log is gone).
	for (let i = 1; i <= DOCS; i++) {
		admin.edit(`doc-${i}`, (d) =>
			d.transact(() => {
				initCustomer(d, { kind: 'company', authorId: ADMIN.id, now: i, fields: { companyName: `Firm ${i}` } });
				customerMap(d).set('access', 'public-read');
			})
		);
	}
	settle();
	// Open on the admin's screen: its room stays loaded, and compacts after its next edit.
	admin.openLive(`doc-${DOCS}`);
	settle();
	return { s, admin, net, settle };
}

/** Other users' work between two slices of the catch-up (`step` counts the slices). */
function editBetween(admin: SimDevice, step: number): void {
	if (step === 2) admin.edit('doc-1', (d) => customerMap(d).set('city', 'Linz')); // sent already
	if (step === 3) admin.edit(`doc-${DOCS}`, (d) => customerMap(d).set('city', 'Graz')); // not sent yet
	if (step === 4) admin.edit(`doc-${DOCS - 1}`, (d) => customerMap(d).set('access', 'private')); // Ben loses it
	if (step === 5)
		admin.edit('doc-new', (d) => {
			initCustomer(d, { kind: 'company', authorId: ADMIN.id, now: 99, fields: { companyName: 'New' } });
			customerMap(d).set('access', 'public-read');
		});
	if (step === 6) admin.edit(`doc-${DOCS - 2}`, (d) => customerMap(d).set('city', 'Wels'));
}

describe('[§5] a catch-up in slices, with commits between them', () => {
	it('the fresh device ends with exactly what the server holds for it', async () => {
		const { s, admin, net, settle } = setup();
		const ben = new SimDevice(1, BEN, net, 'fixed');
		ben.connect();
		settle();
		let slices = 1;
		while (!ben.caughtUp && slices < 200) {
			editBetween(admin, slices);
			settle();
			await turn();
			settle();
			slices++;
		}
		expect(ben.caughtUp).toBe(true);
		// One document per turn: the catch-up really was spread over the edits.
		expect(slices).toBeGreaterThan(DOCS / 2);
		expect(ben.lastSeq).toBe(s.store.maxSeq());
		expect(customerMap(ben.docs.get(`doc-${DOCS}`)!).get('city')).toBe('Graz');
		expect(customerMap(ben.docs.get('doc-1')!).get('city')).toBe('Linz');
		expect(ben.docs.has('doc-new')).toBe(true);
		expect(ben.docs.has(`doc-${DOCS - 1}`)).toBe(false);
		expect(s.store.load(`doc-${DOCS}`)?.logCount, 'compacted during the catch-up').toBe(0);
		const failures: string[] = [];
		checkDevices(s.oracle, [admin, ben], failures);
		expect(failures).toEqual([]);
	});

	it('a device that drops mid catch-up keeps its old sequence number and ends the same after the next one', async () => {
		const { s, admin, net, settle } = setup();
		const ben = new SimDevice(1, BEN, net, 'fixed');
		ben.connect();
		settle();
		for (let step = 1; step <= 6; step++) {
			editBetween(admin, step);
			settle();
			await turn();
			settle();
		}
		expect(ben.caughtUp).toBe(false);
		const partly = ben.docs.size;
		expect(partly).toBeGreaterThan(0);
		ben.disconnect();
		expect(ben.lastSeq).toBe(0);
		// The server stops the dropped connection's catch-up: nothing more is sent or fails.
		await turn();
		await turn();
		admin.edit('doc-2', (d) => customerMap(d).set('city', 'Steyr'));
		settle();
		ben.connect();
		settle();
		for (let i = 0; i < 200 && !ben.caughtUp; i++) {
			await turn();
			settle();
		}
		expect(ben.caughtUp).toBe(true);
		expect(customerMap(ben.docs.get('doc-2')!).get('city')).toBe('Steyr');
		const failures: string[] = [];
		checkDevices(s.oracle, [admin, ben], failures);
		expect(failures).toEqual([]);
	});

	it('a device catching up from where it was gets every change, also of a document compacted between two slices', async () => {
		const { s, admin, net, settle } = setup(3);
		const ben = new SimDevice(1, BEN, net, 'fixed');
		ben.connect();
		settle();
		for (let i = 0; i < 200 && !ben.caughtUp; i++) {
			await turn();
			settle();
		}
		ben.disconnect();
		// While Ben is away every record changes once (two updates each: not compacted yet).
		for (let i = 1; i <= DOCS; i++) admin.edit(`doc-${i}`, (d) => customerMap(d).set('city', `City ${i}`));
		settle();
		ben.connect();
		settle();
		for (let step = 0; step < 200 && !ben.caughtUp; step++) {
			// The third update of the last record, not sent yet: its log is compacted into a snapshot.
			if (step === 2) admin.edit(`doc-${DOCS}`, (d) => customerMap(d).set('phone', '+43 1 234567'));
			settle();
			await turn();
			settle();
		}
		expect(ben.caughtUp).toBe(true);
		expect(s.store.load(`doc-${DOCS}`)?.logCount, 'compacted during the catch-up').toBe(0);
		expect(customerMap(ben.docs.get(`doc-${DOCS}`)!).get('city')).toBe(`City ${DOCS}`);
		const failures: string[] = [];
		checkDevices(s.oracle, [admin, ben], failures);
		expect(failures).toEqual([]);
	});
});
