/**
 * [§3.1][§3.2][§3.3] The portal modules' mail through the real server process and a REAL SMTP
 * peer on loopback (issue #12 items 4 and 5): the article's example (five contacts, one with
 * the project and task flags), nothing sent when no contact has the flag, a send request
 * mailed to exactly its recipients once (a resent update, a reconnect and a restart change
 * nothing; another customer's contact gets nothing), a staff ticket reply to flagged contacts
 * only, and "invoice overdue" once.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addContact } from '../../src/lib/schema/customer-doc.ts';
import {
	addSaleLine,
	createRecord,
	createSale,
	readSale,
	requestSend,
	updateRecord
} from '../../src/lib/schema/module-doc.ts';
import { DOC, notificationKey, type Notification } from '../../src/lib/schema/records.ts';
import { FeedClient } from './helpers/feed.ts';
import { Client } from './helpers/http.ts';
import { createCustomer } from './helpers/records.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { startSmtpPeer, type SmtpPeer } from './helpers/smtp-peer.ts';
import { push } from './helpers/staff.ts';
import { connect, until, type SyncClient } from './helpers/sync.ts';

let server: TestServer;
let dataDir: string;
let admin: Client;
let adminId: string;
let peer: SmtpPeer;
const open: SyncClient[] = [];

async function start(): Promise<void> {
	server = await startServer(
		{ SMTP_URL: peer.url, LOGIN_MAX_PER_ADDRESS: '10000' },
		{ dataDir: dataDir || undefined, keepData: true }
	);
	dataDir = server.dataDir;
	admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	adminId = await admin.userId();
}

async function restart(): Promise<void> {
	for (const s of open.splice(0)) s.destroy();
	await server.stop();
	await start();
}

beforeAll(async () => {
	peer = await startSmtpPeer();
	await start();
});
afterAll(async () => {
	for (const s of open.splice(0)) s.destroy();
	await server?.stop();
	await peer?.close();
	if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

function outbox(where: string, ...args: string[]): { kind: string; to_email: string; status: string }[] {
	const db = new Database(path.join(dataDir, 'fieldbook.sqlite'), { readonly: true });
	try {
		return db
			.prepare(`SELECT kind, to_email, status FROM outbox WHERE ${where} ORDER BY id`)
			.all(...args) as ReturnType<typeof outbox>;
	} finally {
		db.close();
	}
}

/** A customer open on a staff device, with contacts (no welcome mail; flags as given). */
async function customerWith(
	name: string,
	contacts: { id: string; flags?: Notification[] }[]
): Promise<{ doc: Y.Doc; sync: SyncClient }> {
	await createCustomer(server, admin, name, { fields: { companyName: `${name} AG` } });
	const sync = connect(server, admin, name);
	open.push(sync);
	await until(() => sync.provider.synced, 5000, 'synced');
	for (const c of contacts) {
		addContact(sync.doc, {
			id: c.id,
			fields: {
				firstName: c.id,
				lastName: 'Test',
				email: `${c.id}@example.com`,
				doNotSendWelcome: true,
				...Object.fromEntries((c.flags ?? []).map((f) => [notificationKey(f), true]))
			},
			authorId: adminId,
			now: Date.now(),
			defaultPermissions: { projects: true, invoices: true, support: true }
		});
	}
	await until(() => sync.acks.allCommitted, 5000, 'contacts committed');
	return { doc: sync.doc, sync };
}

const mailsTo = (id: string) => peer.received.filter((m) => m.rcptTo.includes(`${id}@example.com`));
const settle = () => new Promise((r) => setTimeout(r, 1500));
const now = () => Date.now();

describe('[§3.3] only contacts with the flag get project and task mail', () => {
	it('five contacts with the projects permission, one with the project and task flags: only that one', async () => {
		const ids = ['p33-1', 'p33-2', 'p33-3', 'p33-4', 'p33-5'];
		const { doc } = await customerWith(
			'mod-33',
			ids.map((id) => ({ id, flags: id === 'p33-3' ? ['project', 'task'] : [] }))
		);
		const fields = { name: 'New roof', status: 'notStarted', tasksVisible: true };
		createRecord(doc, DOC.projects, { id: 'proj-33', authorId: adminId, now: now(), fields });
		createRecord(doc, DOC.tasks, {
			id: 'task-33',
			authorId: adminId,
			now: now(),
			fields: { projectId: 'proj-33', name: 'Tiles', status: 'notStarted' }
		});
		await until(() => mailsTo('p33-3').length === 2, 10_000, 'project and task mail');
		updateRecord(doc, DOC.tasks, 'task-33', { name: 'Red tiles' }, adminId, now()); // no news: not its status
		updateRecord(doc, DOC.tasks, 'task-33', { status: 'complete' }, adminId, now());
		updateRecord(doc, DOC.projects, 'proj-33', { status: 'inProgress' }, adminId, now());
		await until(() => mailsTo('p33-3').length === 4, 10_000, 'status mail');
		await settle();
		for (const id of ids) if (id !== 'p33-3') expect(mailsTo(id)).toEqual([]);
		const got = mailsTo('p33-3');
		expect(got).toHaveLength(4);
		expect(got.map((m) => m.subject)).toEqual(
			expect.arrayContaining(['Update – project: New roof', 'Update – task: Red tiles'])
		);
		expect(got[0].text).toContain(`${server.origin}/portal/projects/proj-33`);
		expect(got.some((m) => m.text?.includes('Status: In progress'))).toBe(true);
	});

	it('with the flag on nobody, nothing is sent, also with a single contact', async () => {
		const { doc } = await customerWith('mod-solo', [{ id: 'solo-1' }]);
		createRecord(doc, DOC.projects, {
			id: 'proj-solo',
			authorId: adminId,
			now: now(),
			fields: { name: 'Quiet', status: 'notStarted', tasksVisible: true }
		});
		createRecord(doc, DOC.tasks, {
			id: 'task-solo',
			authorId: adminId,
			now: now(),
			fields: { projectId: 'proj-solo' }
		});
		await settle();
		expect(mailsTo('solo-1')).toEqual([]);
		expect(outbox("to_email = 'solo-1@example.com'")).toEqual([]);
	});
});

describe('[§3.1] tickets', () => {
	it('a staff reply mails only the contacts with the tickets flag', async () => {
		const { doc } = await customerWith('mod-ticket', [{ id: 'tk-a', flags: ['tickets'] }, { id: 'tk-b' }]);
		createRecord(doc, DOC.tickets, {
			id: 'ticket-1',
			authorId: adminId,
			now: now(),
			fields: { subject: 'Leaking roof', status: 'open' }
		});
		createRecord(doc, DOC.ticketReplies, {
			id: 'reply-1',
			authorId: adminId,
			now: now(),
			fields: { ticketId: 'ticket-1', body: 'We come on Monday.' }
		});
		await until(() => mailsTo('tk-a').length === 1, 10_000, 'ticket mail');
		await settle();
		expect(mailsTo('tk-b')).toEqual([]);
		expect(mailsTo('tk-a')[0].text).toContain('We come on Monday.');
		expect(mailsTo('tk-a')[0].text).toContain(`${server.origin}/portal/support/ticket-1`);
	});
});

describe('[§3.2] a send request', () => {
	it('mails exactly the chosen recipients once; a resent update, a reconnect and a restart change nothing', async () => {
		await customerWith('mod-stranger', [{ id: 'stranger', flags: ['invoice'] }]);
		const { doc } = await customerWith('mod-send', [
			{ id: 'send-a', flags: ['invoice'] },
			{ id: 'send-b' },
			{ id: 'send-c', flags: ['invoice'] }
		]);
		createSale(doc, {
			id: 'inv-send',
			kind: 'invoice',
			authorId: adminId,
			now: now(),
			fields: { currency: 'EUR', dueDate: '2099-01-31' }
		});
		addSaleLine(doc, {
			id: 'line-send',
			saleId: 'inv-send',
			authorId: adminId,
			now: now(),
			fields: { description: 'Roof', quantity: 2, unitPrice: 12_500, taxRate: 19 }
		});
		await until(() => typeof readSale(doc, 'inv-send')?.number === 'number', 10_000, 'numbered');
		// The dialog: the flagged contact a preselected, b added (so ALL selected get it), c removed;
		// a forged id of another customer's contact and an unknown id.
		requestSend(doc, {
			id: 'send-1',
			target: DOC.sales,
			recordId: 'inv-send',
			recipients: ['send-a', 'send-b', 'stranger', 'nobody'],
			authorId: adminId,
			now: now()
		});
		await until(() => mailsTo('send-a').length + mailsTo('send-b').length === 2, 10_000, 'send mail');
		const number = readSale(doc, 'inv-send')!.displayNumber!;
		expect(mailsTo('send-a')[0].subject).toBe(`New invoice: ${number}`);
		expect(mailsTo('send-b')[0].text).toContain('Total: €297.50');
		expect(mailsTo('send-b')[0].text).toContain(`${server.origin}/portal/invoices/inv-send`);
		expect(readSale(doc, 'inv-send')?.status).toBe('sent');

		// The same update again over the background sync, then a reconnect, then a restart.
		const feed = await FeedClient.open(server, admin);
		expect(await push(feed, 'mod-send', Y.encodeStateAsUpdate(doc))).toBeNull();
		feed.close();
		for (const s of open.splice(0)) s.destroy();
		const again = connect(server, admin, 'mod-send');
		open.push(again);
		await until(() => again.provider.synced, 5000, 'resynced');
		await restart();
		await settle();
		expect(mailsTo('send-a')).toHaveLength(1);
		expect(mailsTo('send-b')).toHaveLength(1);
		expect(mailsTo('send-c')).toEqual([]);
		expect(mailsTo('stranger')).toEqual([]);
		expect(outbox("to_email = 'stranger@example.com'")).toEqual([]);
	});
});

describe('invoice overdue', () => {
	it('is mailed once to the contacts with the invoice flag, and marked in the document', async () => {
		const { doc, sync } = await customerWith('mod-overdue', [{ id: 'due-a', flags: ['invoice'] }, { id: 'due-b' }]);
		const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
		createSale(doc, {
			id: 'inv-due',
			kind: 'invoice',
			authorId: adminId,
			now: now(),
			fields: { status: 'sent', dueDate: yesterday }
		});
		await until(() => sync.acks.allCommitted, 5000, 'invoice committed');
		// The check runs at start and hourly.
		await restart();
		await until(() => mailsTo('due-a').length === 1, 10_000, 'overdue mail');
		expect(mailsTo('due-a')[0].subject).toMatch(/^Invoice overdue: INV-\d{6}$/);
		const device = connect(server, admin, 'mod-overdue');
		open.push(device);
		await until(() => typeof readSale(device.doc, 'inv-due')?.overdueNotifiedAt === 'number', 10_000, 'marked');
		await restart();
		await settle();
		expect(mailsTo('due-a')).toHaveLength(1);
		expect(mailsTo('due-b')).toEqual([]);
	});
});
