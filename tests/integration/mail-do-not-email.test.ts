/**
 * "Do not e-mail" (issue #13 item 2) through the real server process and a REAL SMTP peer on
 * loopback: a flagged contact gets no welcome mail, no notification, no sent document, and
 * staff cannot send them a set-password link — but a link they ask for themselves ("Forgot
 * password?" in the portal) still reaches them. An unflagged contact beside them gets all of it.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addContact, updateContact } from '../../src/lib/schema/customer-doc.ts';
import { createRecord, createSale, readSale, requestSend } from '../../src/lib/schema/module-doc.ts';
import { DOC, notificationKey } from '../../src/lib/schema/records.ts';
import { Client } from './helpers/http.ts';
import { createCustomer } from './helpers/records.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { startSmtpPeer, type SmtpPeer } from './helpers/smtp-peer.ts';
import { connect, until, type SyncClient } from './helpers/sync.ts';

let server: TestServer;
let admin: Client;
let adminId: string;
let peer: SmtpPeer;
let sync: SyncClient;

beforeAll(async () => {
	peer = await startSmtpPeer();
	server = await startServer({ SMTP_URL: peer.url, LOGIN_MAX_PER_ADDRESS: '10000' });
	admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	adminId = await admin.userId();
});
afterAll(async () => {
	sync?.destroy();
	await server?.stop();
	await peer?.close();
	if (server?.dataDir) fs.rmSync(server.dataDir, { recursive: true, force: true });
});

function outbox(email: string): { kind: string; status: string; decision: string | null }[] {
	const db = new Database(path.join(server.dataDir, 'fieldbook.sqlite'), { readonly: true });
	try {
		return db
			.prepare('SELECT kind, status, decision FROM outbox WHERE to_email = ? ORDER BY id')
			.all(email) as ReturnType<typeof outbox>;
	} finally {
		db.close();
	}
}

const mailsTo = (address: string) => peer.received.filter((m) => m.rcptTo.includes(address));
const settle = () => new Promise((r) => setTimeout(r, 1500));
const NO = 'dne-no@example.com';
const YES = 'dne-yes@example.com';

describe('[issue 13.2] do not e-mail is respected by every mail the server sends', () => {
	it('no welcome, notification or sent document for the flagged contact; the other gets them', async () => {
		await createCustomer(server, admin, 'dne', { fields: { companyName: 'Quiet Mail AG' } });
		sync = connect(server, admin, 'dne');
		await until(() => sync.provider.synced, 5000, 'synced');
		for (const [id, email, doNotEmail] of [
			['dne-no', NO, true],
			['dne-yes', YES, false]
		] as const) {
			addContact(sync.doc, {
				id,
				// Both would get a welcome mail (doNotSendWelcome off) and project mail (flag on).
				fields: { firstName: id, lastName: 'Test', email, doNotEmail, [notificationKey('project')]: true },
				authorId: adminId,
				now: Date.now(),
				defaultPermissions: { projects: true, invoices: true }
			});
		}
		await until(() => sync.acks.allCommitted, 5000, 'contacts committed');
		await until(() => mailsTo(YES).length === 1, 10_000, 'welcome to the unflagged contact');

		createRecord(sync.doc, DOC.projects, {
			id: 'dne-proj',
			authorId: adminId,
			now: Date.now(),
			fields: { name: 'New roof', status: 'notStarted' }
		});
		createSale(sync.doc, {
			id: 'dne-inv',
			kind: 'invoice',
			authorId: adminId,
			now: Date.now(),
			fields: { currency: 'EUR', dueDate: '2099-01-31' }
		});
		await until(() => typeof readSale(sync.doc, 'dne-inv')?.number === 'number', 10_000, 'numbered');
		// The send dialog names both: only the one who accepts e-mail gets it.
		requestSend(sync.doc, {
			id: 'dne-send',
			target: DOC.sales,
			recordId: 'dne-inv',
			recipients: ['dne-no', 'dne-yes'],
			authorId: adminId,
			now: Date.now()
		});
		await until(() => mailsTo(YES).length === 3, 10_000, 'project and invoice mail');
		await settle();
		expect(mailsTo(NO)).toEqual([]);
		expect(mailsTo(YES).map((m) => m.subject)).toEqual(
			expect.arrayContaining([expect.stringMatching(/project: New roof/), expect.stringMatching(/^New invoice/)])
		);
		// The welcome was decided before the flag could change: skipped at send time, and says why.
		expect(outbox(NO)).toEqual([{ kind: 'welcome', status: 'skipped', decision: 'do_not_email' }]);
	});

	it('staff cannot send a set-password link; the contact asking for one themselves gets it', async () => {
		const res = await admin.postJson('/api/contacts/dne-no/set-password-email', {
			idempotencyKey: 'dne-staff-0001'
		});
		expect(res.status).toBe(409);
		expect(await res.json()).toEqual({ error: 'do_not_email' });

		const portal = new Client(server.url);
		expect((await portal.postForm('/portal/forgot', { email: NO })).status).toBe(200);
		await until(() => mailsTo(NO).length === 1, 10_000, 'the link the contact asked for');
		expect(mailsTo(NO)[0].text).toContain('/set-password?token=');
	});

	it('a flag set later stops the notifications that follow', async () => {
		updateContact(sync.doc, 'dne-yes', { doNotEmail: true }, adminId, Date.now());
		await until(() => sync.acks.allCommitted, 5000, 'flag committed');
		const before = mailsTo(YES).length;
		createRecord(sync.doc, DOC.projects, {
			id: 'dne-proj-2',
			authorId: adminId,
			now: Date.now(),
			fields: { name: 'Gutter', status: 'notStarted' }
		});
		await settle();
		expect(mailsTo(YES)).toHaveLength(before);
	});
});
