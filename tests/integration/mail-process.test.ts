/**
 * [§3.5][§5][§8] E-mail through the real server process (issue #11): with no SMTP_URL mail
 * stays queued and shows in the admin outbox; pointed at a REAL smtp-server on loopback it
 * leaves exactly once; killed with SIGKILL between the SMTP server's 250 and the 'sent' mark
 * it resends at most once, with the same Message-ID; the set-password link from the mail
 * sets the password once, also under 100 concurrent uses.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addContact } from '../../src/lib/schema/customer-doc.ts';
import { Client } from './helpers/http.ts';
import { createCustomer } from './helpers/records.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { startSmtpPeer, type SmtpPeer } from './helpers/smtp-peer.ts';
import { connect, until } from './helpers/sync.ts';

let server: TestServer;
let dataDir: string;
let admin: Client;
let peer: SmtpPeer;
/** Set by a test: the recipient whose delivery kills the server, right before or right after the 250. */
let killOn: { rcpt: string; when: 'before' | 'after' } | null = null;

const STAFF = { name: 'Sam Staff', email: 'sam@staff.test', password: 'staff-password-1' };

async function start(env: Record<string, string>): Promise<void> {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000', ...env }, { dataDir, keepData: true });
	admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
}

function outbox(
	where = '1 = 1'
): { id: number; to_email: string; status: string; message_id: string; attempts: number }[] {
	const db = new Database(path.join(dataDir, 'fieldbook.sqlite'), { readonly: true });
	try {
		return db
			.prepare(`SELECT id, to_email, status, message_id, attempts FROM outbox WHERE ${where} ORDER BY id`)
			.all() as ReturnType<typeof outbox>;
	} finally {
		db.close();
	}
}

async function addContacts(customer: string, contacts: { id: string; email: string; first?: string }[]): Promise<void> {
	const s = connect(server, admin, customer);
	await until(() => s.provider.synced);
	const authorId = await admin.userId();
	for (const c of contacts) {
		addContact(s.doc, {
			id: c.id,
			fields: { firstName: c.first ?? 'Eva', lastName: 'Mail', email: c.email },
			authorId,
			now: Date.now()
		});
	}
	// The rows are written in the commit that stores the contacts.
	const emails = contacts.map((c) => c.email);
	await until(() => emails.every((e) => outbox().some((r) => r.to_email === e)), 15_000, 'welcome rows');
	s.destroy();
}

function kill(rcpt: string[], when: 'before' | 'after'): void {
	if (killOn && killOn.when === when && rcpt.includes(killOn.rcpt)) {
		killOn = null;
		server.proc.kill('SIGKILL');
	}
}

/** Adds a contact whose welcome mail kills the server at `when`; returns the copies the peer got after a restart. */
async function crashTrial(email: string, when: 'before' | 'after') {
	killOn = { rcpt: email, when };
	const exited = new Promise((resolve) => server.proc.once('exit', resolve));
	await addContacts('cust-mail', [{ id: `k-${when}`, email }]).catch(() => {});
	await exited;
	const [row] = outbox(`to_email = '${email}'`);
	expect(peer.received.filter((m) => m.rcptTo[0] === email)).toHaveLength(1);
	await start({ SMTP_URL: peer.url });
	await until(() => outbox(`to_email = '${email}'`)[0].status === 'sent', 10_000, 'resent');
	await new Promise((r) => setTimeout(r, 500));
	return { row, copies: peer.received.filter((m) => m.rcptTo[0] === email) };
}

beforeAll(async () => {
	peer = await startSmtpPeer({
		beforeReply: (mail) => kill(mail.rcptTo, 'before'),
		// The 250 is on the wire; the process dies before it can mark the row (almost always).
		afterReply: (mail) => kill(mail.rcptTo, 'after')
	});
	await start({});
	dataDir = server.dataDir;
	await createCustomer(server, admin, 'cust-mail', { fields: { companyName: 'Mail AG' } });
	const created = await admin.postForm('/admin/staff?/create', { ...STAFF, role: 'staff' });
	expect(created.status).toBeLessThan(400);
});
afterAll(async () => {
	await server?.stop();
	await peer?.close();
	const fs = await import('node:fs');
	if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('[§3.5] with no SMTP_URL', () => {
	it('mail stays queued and the admin outbox view shows it', async () => {
		await addContacts('cust-mail', [{ id: 'k-first', email: 'first@example.com' }]);
		await new Promise((r) => setTimeout(r, 700));
		expect(outbox()).toEqual([
			expect.objectContaining({ to_email: 'first@example.com', status: 'queued', attempts: 0 })
		]);
		const res = await admin.request('/admin/email/__data.json');
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('first@example.com');
		const preview = await admin.request(`/admin/email/__data.json?preview=${outbox()[0].id}`);
		expect(await preview.text()).toContain('Welcome, Eva');
	});

	it('the admin view is for admins only; garbage input never throws', async () => {
		const anon = new Client(server.url);
		// A data request answers a redirect to the sign-in as JSON; never the outbox.
		const anonymous = await anon.request('/admin/email/__data.json');
		expect(await anonymous.text()).not.toContain('first@example.com');
		const staff = new Client(server.url);
		expect((await staff.login(STAFF.email, STAFF.password)).status).toBe(303);
		// A data request carries the load's 403 inside its JSON answer.
		const refused = await staff.request('/admin/email/__data.json');
		const refusedText = await refused.text();
		expect(refusedText).toContain('403');
		expect(refusedText).not.toContain('first@example.com');
		const id = String(outbox()[0].id);
		expect((await staff.postForm('/admin/email?/retry', { id })).status).toBe(403);
		expect((await staff.postForm('/admin/email?/toggle', { kind: 'welcome', enabled: 'false' })).status).toBe(403);
		for (const body of [{ id: 'abc' }, { id: '' }, { id: ['1', '2'] }, {}] as Record<string, string | string[]>[]) {
			expect((await admin.postForm('/admin/email?/retry', body)).status).toBe(400);
		}
		expect((await admin.postForm('/admin/email?/retry', { id })).status).toBe(409); // queued, not failed
		expect((await admin.postForm('/admin/email?/toggle', { kind: 'nope', enabled: 'true' })).status).toBe(400);
		expect(
			(
				await admin.postForm('/admin/email?/template', {
					kind: 'welcome',
					locale: 'en',
					subject: 'x',
					body: '{{evil}}'
				})
			).status
		).toBe(400);
		expect((await admin.postForm('/admin/email?/settings', { signature: 'x', defaultLanguage: 'xx' })).status).toBe(
			400
		);
		const json = await admin.request('/admin/email?/retry', {
			method: 'POST',
			headers: { 'content-type': 'application/json', accept: 'application/json' },
			body: '{"id":1'
		});
		expect(json.status).toBeGreaterThanOrEqual(400);
		expect(json.status).toBeLessThan(500);
		for (const q of [
			'?before=-1',
			'?before=1e99',
			'?status=DROP',
			'?kind=%00',
			'?preview=abc',
			'?to=%25%5F',
			'?edit=1&kind=x'
		]) {
			expect((await admin.request(`/admin/email/__data.json${q}`)).status, q).toBe(200);
		}
	});
});

describe('[§3.5] with SMTP_URL pointed at a real SMTP server', () => {
	it('the queued mail leaves once the server restarts with SMTP_URL, exactly once', async () => {
		await server.stop();
		await start({ SMTP_URL: peer.url });
		await until(() => outbox()[0].status === 'sent', 10_000, 'welcome sent');
		expect(peer.received.filter((m) => m.rcptTo[0] === 'first@example.com')).toHaveLength(1);
		expect(peer.received[0].messageId).toBe(outbox()[0].message_id);
	});

	it('kill -9 between the 250 and the mark: after restart sent at most once more, with the same Message-ID', async () => {
		const { row, copies } = await crashTrial('crash@example.com', 'after');
		// 'sending' when it died (the usual case): one resend; 'sent' (the mark won the race): none.
		expect(copies).toHaveLength(row.status === 'sending' ? 2 : 1);
		expect(new Set(copies.map((m) => m.messageId))).toEqual(new Set([row.message_id]));
	});

	it('kill -9 with the whole mail at the SMTP server, before its 250: resent exactly once, same Message-ID', async () => {
		const { row, copies } = await crashTrial('crash2@example.com', 'before');
		expect(row.status).toBe('sending');
		expect(copies).toHaveLength(2);
		expect(new Set(copies.map((m) => m.messageId))).toEqual(new Set([row.message_id]));
		expect(outbox("to_email = 'crash2@example.com'")[0].attempts).toBe(2);
	});

	it('[§2] the set-password link from the mail sets the password once, also under 100 concurrent uses', async () => {
		const res = await admin.postJson('/api/contacts/k-first/set-password-email', { idempotencyKey: 'it-mail-0001' });
		expect(res.status).toBe(202);
		await until(() => peer.received.some((m) => m.subject === 'Set your password'), 10_000, 'set-password mail');
		const mail = peer.received.find((m) => m.subject === 'Set your password')!;
		const link = /(http:\/\/\S+\/set-password\?token=[A-Za-z0-9_-]{43})/.exec(mail.text ?? '')?.[1];
		expect(link).toBeDefined();
		const url = new URL(link!);
		// The contact opens it with no staff session at all (a public page).
		const contact = new Client(server.url);
		const page = await contact.request(url.pathname + url.search);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('Set your password');
		const token = url.searchParams.get('token')!;
		const uses = await Promise.all(
			Array.from({ length: 100 }, (_, i) =>
				contact.postForm('/set-password?/set', { token, password: `portal-pass-${i}`, confirm: `portal-pass-${i}` })
			)
		);
		const statuses = uses.map((r) => r.status);
		expect(statuses.filter((s) => s < 400)).toHaveLength(1);
		expect(statuses.filter((s) => s === 410)).toHaveLength(99);
		const again = await contact.request(url.pathname + url.search);
		expect(await again.text()).toContain('This link was used already');
		for (const body of [
			{ token: 'forged', password: 'portal-pass-1', confirm: 'portal-pass-1' },
			{ token },
			{}
		] as Record<string, string>[]) {
			const r = await contact.postForm('/set-password?/set', body);
			expect(r.status).toBeGreaterThanOrEqual(400);
			expect(r.status).toBeLessThan(500);
		}
		expect((await contact.request('/set-password?token=%00%0d%0a')).status).toBe(200);
	});
});
