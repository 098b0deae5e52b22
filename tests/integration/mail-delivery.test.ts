/**
 * [§3.5] Delivery (issue #11 items 1, 3, 6): the worker against a REAL smtp-server on
 * loopback (no mocked transport) and a real SQLite file. The crash between the 250 and the
 * 'sent' mark is in mail-process.test.ts (kill -9 of the server process).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/db.ts';
import { OutboxAdmin } from '../../server/mail/outbox-admin.ts';
import { SetPasswordLinks } from '../../server/mail/set-password-links.ts';
import { MailTemplates } from '../../server/mail/templates.ts';
import { createTransport } from '../../server/mail/transport.ts';
import { MailWorker, type MailWorkerOptions } from '../../server/mail/worker.ts';
import { enqueue } from '../../server/outbox.ts';
import { startSmtpPeer, type SmtpPeer } from './helpers/smtp-peer.ts';
import { until } from './helpers/sync.ts';

let dir: string;
let db: Db;
const cleanup: (() => Promise<void>)[] = [];

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-mail-'));
	db = openDatabase(path.join(dir, 'db.sqlite'));
	db.prepare("INSERT INTO customers (id, kind, company_name) VALUES ('c1', 'company', 'Acme & Co')").run();
	db.prepare(
		"INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at) VALUES ('u-ada', 'ada@staff.test', 'Ada', 'admin', 'x', 1, 1), ('u-bob', 'bob@staff.test', 'Bob', 'staff', 'x', 1, 1)"
	).run();
});
afterEach(async () => {
	for (const c of cleanup.splice(0).reverse()) await c();
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

let nextContact = 0;
function contact(fields: { first?: string; last?: string; email: string; language?: string }): string {
	const id = `k${++nextContact}`;
	db.prepare(
		`INSERT INTO contacts (id, customer_id, first_name, last_name, email, email_key, is_primary, language)
		 VALUES (?, 'c1', ?, ?, ?, ?, 0, ?)`
	).run(
		id,
		fields.first ?? 'Ann',
		fields.last ?? 'Lee',
		fields.email,
		fields.email.trim().toLowerCase(),
		fields.language ?? null
	);
	return id;
}

function welcome(contactId: string, email: string): number {
	enqueue(db, { kind: 'welcome', idempotencyKey: `welcome:${contactId}`, customerId: 'c1', contactId, toEmail: email });
	return (db.prepare('SELECT id FROM outbox WHERE idempotency_key = ?').pluck().get(`welcome:${contactId}`) as number)!;
}

const row = (id: number) =>
	db
		.prepare(
			'SELECT status, attempts, last_error, decision, message_id, rendered, next_attempt_at FROM outbox WHERE id = ?'
		)
		.get(id) as {
		status: string;
		attempts: number;
		last_error: string | null;
		decision: string | null;
		message_id: string;
		rendered: string | null;
		next_attempt_at: number;
	};

async function peer(opts: Parameters<typeof startSmtpPeer>[0] = {}): Promise<SmtpPeer> {
	const p = await startSmtpPeer(opts);
	cleanup.push(() => p.close());
	return p;
}

function worker(smtpUrl: string, extra: Partial<MailWorkerOptions> = {}): MailWorker {
	const w = new MailWorker({
		db,
		templates: new MailTemplates(db),
		transport: createTransport(new URL(smtpUrl)),
		from: { name: 'Fieldbook', address: 'crm@example.com' },
		origin: () => 'http://crm.test',
		giveUpMs: 3600_000,
		pollMs: 20,
		log: () => {},
		...extra
	});
	w.start();
	cleanup.push(() => w.stop());
	return w;
}

describe('[§3.5] delivery over SMTP', () => {
	it('sends a queued welcome mail with its Message-ID, HTML and text; marks it sent', async () => {
		const smtp = await peer();
		const id = welcome(contact({ email: 'ann@example.com' }), 'ann@example.com');
		const { message_id } = row(id);
		worker(smtp.url);
		await until(() => row(id).status === 'sent', 5000, 'sent');
		expect(smtp.received).toHaveLength(1);
		const got = smtp.received[0];
		expect(got.messageId).toBe(message_id);
		expect(got.rcptTo).toEqual(['ann@example.com']);
		expect(got.subject).toBe('Welcome, Ann');
		expect(got.text).toContain('Acme & Co');
		expect(got.html).toContain('Acme &amp; Co');
		expect(got.raw).toMatch(/^Auto-Submitted: auto-generated/im);
		expect(row(id).attempts).toBe(1);
	});

	it('421 then 250: retried after a backoff, delivered once', async () => {
		const smtp = await peer({ reply: (n) => (n === 1 ? 421 : null) });
		const id = welcome(contact({ email: 'ann@example.com' }), 'ann@example.com');
		worker(smtp.url);
		await until(() => row(id).attempts === 1 && row(id).status === 'queued', 5000, 'deferred');
		expect(row(id).last_error).toMatch(/^421/);
		expect(row(id).next_attempt_at).toBeGreaterThan(Date.now() - 100);
		await until(() => row(id).status === 'sent', 5000, 'sent');
		expect(smtp.attempts).toBe(2);
		expect(smtp.received).toHaveLength(1);
		expect(row(id)).toMatchObject({ attempts: 2, last_error: null });
	});

	it('550: failed at once with the server reply, never retried', async () => {
		const smtp = await peer({ reply: () => 550 });
		const id = welcome(contact({ email: 'nobody@example.com' }), 'nobody@example.com');
		worker(smtp.url);
		await until(() => row(id).status === 'failed', 5000, 'failed');
		expect(row(id).last_error).toMatch(/^550 mailbox unavailable/);
		await new Promise((r) => setTimeout(r, 200));
		expect(smtp.attempts).toBe(1);
		expect(row(id).attempts).toBe(1);
	});

	it('backoff is per recipient domain: a domain answering 421 does not hold the others', async () => {
		const smtp = await peer({ reply: (_n, rcpt) => (rcpt[0].endsWith('@slow.test') ? 421 : null) });
		const slow = [1, 2, 3].map((i) => welcome(contact({ email: `s${i}@slow.test` }), `s${i}@slow.test`));
		const fast = [1, 2, 3].map((i) => welcome(contact({ email: `f${i}@fast.test` }), `f${i}@fast.test`));
		worker(smtp.url, { concurrency: 1 });
		await until(() => fast.every((id) => row(id).status === 'sent'), 5000, 'fast domain delivered');
		// One failure deferred the whole slow domain: not every slow row was even tried.
		const tried = slow.map((id) => row(id).attempts);
		expect(tried.filter((n) => n > 0).length).toBeLessThan(slow.length);
		expect(slow.every((id) => row(id).status === 'queued')).toBe(true);
	});

	it('a row still failing after the give-up window fails with the reason', async () => {
		let now = Date.now();
		const smtp = await peer({ reply: () => 451 });
		const id = welcome(contact({ email: 'ann@example.com' }), 'ann@example.com');
		now += 10 * 60_000;
		worker(smtp.url, { giveUpMs: 60_000, clock: () => now });
		await until(() => row(id).status === 'failed', 5000, 'given up');
		expect(row(id).last_error).toMatch(/^gave up after 1 attempts over 0 h: 451/);
	});

	it('STARTTLS: smtp:// upgrades when the server offers it (starttls=required)', async () => {
		const smtp = await peer({ starttls: true });
		const id = welcome(contact({ email: 'ann@example.com' }), 'ann@example.com');
		worker(`${smtp.url}?starttls=required&tls_verify=off`);
		await until(() => row(id).status === 'sent', 5000, 'sent');
		expect(smtp.received[0].secure).toBe(true);
	});

	it('a dead relay (connection refused) is retried, not failed', async () => {
		const smtp = await peer();
		const port = smtp.port;
		await smtp.close();
		const id = welcome(contact({ email: 'ann@example.com' }), 'ann@example.com');
		worker(`smtp://127.0.0.1:${port}`);
		await until(() => row(id).attempts >= 1 && row(id).status === 'queued', 5000, 'deferred');
		expect(row(id).last_error).toMatch(/ECONNECTION|ECONNREFUSED|ESOCKET/);
	});
});

describe('[§3.4] templates at send time', () => {
	it('CR/LF in a name reaches no header: no injected Bcc, one recipient, one-line subject', async () => {
		const smtp = await peer();
		const evil = 'Eve\r\nBcc: victim@evil.test\r\nX-Injected: yes';
		const id = welcome(contact({ first: evil, last: 'Doe\r\n', email: 'eve@example.com' }), 'eve@example.com');
		worker(smtp.url);
		await until(() => row(id).status === 'sent', 5000, 'sent');
		const got = smtp.received[0];
		expect(got.rcptTo).toEqual(['eve@example.com']);
		expect(got.raw).not.toMatch(/^Bcc:/im);
		expect(got.raw).not.toMatch(/^X-Injected:/im);
		expect(got.subject).toBe('Welcome, Eve Bcc: victim@evil.test X-Injected: yes');
		expect(got.toName).toBe('Eve Bcc: victim@evil.test X-Injected: yes Doe');
	});

	it('a disabled welcome template: no mail, the decision shown on the row; retry after enabling sends it', async () => {
		const smtp = await peer();
		const templates = new MailTemplates(db);
		templates.setEnabled('welcome', false, 'u-ada');
		const id = welcome(contact({ email: 'ann@example.com' }), 'ann@example.com');
		worker(smtp.url);
		await until(() => row(id).status === 'skipped', 5000, 'skipped');
		expect(row(id).decision).toBe('template_disabled');
		expect(smtp.received).toHaveLength(0);
		templates.setEnabled('welcome', true, 'u-ada');
		expect(new OutboxAdmin(db).retry(id)).toBe(true);
		await until(() => row(id).status === 'sent', 5000, 'sent after retry');
		expect(smtp.received).toHaveLength(1);
	});

	it("the contact's language, an admin's template and the signature are used", async () => {
		const smtp = await peer();
		const templates = new MailTemplates(db);
		templates.setTemplate(
			'welcome',
			'de',
			{ subject: 'Hallo {{contactFirstName}} <3', body: 'Für {{customerName}}' },
			'u-ada'
		);
		templates.setSignature('Ihr Team\nACME');
		const id = welcome(contact({ first: 'Jörg', email: 'j@example.com', language: 'de' }), 'j@example.com');
		worker(smtp.url);
		await until(() => row(id).status === 'sent', 5000, 'sent');
		const got = smtp.received[0];
		expect(got.subject).toBe('Hallo Jörg <3');
		expect(got.text).toBe('Für Acme & Co\n\n-- \nIhr Team\nACME\n');
		expect(got.html).toContain('<p>Für Acme &amp; Co</p>');
	});

	it('[#11.4] welcome for a contact deleted since it was queued, or to an address already welcomed: none', async () => {
		const smtp = await peer();
		const gone = contact({ email: 'gone@example.com' });
		const a = welcome(gone, 'gone@example.com');
		db.prepare('UPDATE contacts SET deleted_at = 5 WHERE id = ?').run(gone);
		const first = welcome(contact({ email: 'same@example.com' }), 'same@example.com');
		worker(smtp.url, { concurrency: 1 });
		await until(() => row(first).status === 'sent' && row(a).status === 'skipped', 5000, 'decided');
		const dup = welcome(contact({ email: 'SAME@example.com' }), 'SAME@example.com');
		await until(() => row(dup).status === 'skipped', 5000, 'duplicate skipped');
		expect(row(a).decision).toBe('contact_deleted');
		expect(row(dup).decision).toBe('duplicate_address');
		expect(smtp.received.map((m) => m.rcptTo[0])).toEqual(['same@example.com']);
	});

	it('[#11.6] manager_assigned is rendered for the staff member and sent', async () => {
		const smtp = await peer();
		enqueue(db, {
			kind: 'manager_assigned',
			idempotencyKey: 'manager_assigned:c1:u-bob:1.1',
			customerId: 'c1',
			toEmail: 'bob@staff.test',
			payload: { customerId: 'c1', customerName: 'Acme & Co', assignedBy: 'u-ada', userId: 'u-bob' }
		});
		worker(smtp.url);
		await until(() => smtp.received.length === 1, 5000, 'manager mail');
		const got = smtp.received[0];
		expect(got.rcptTo).toEqual(['bob@staff.test']);
		expect(got.subject).toBe('You are now a manager of Acme & Co');
		expect(got.text).toContain('Ada made you a manager of Acme & Co');
		expect(got.text).toContain('http://crm.test/customers/c1');
	});
});

describe('[§2] the set-password mail', () => {
	it('carries a working link whose token is stored only as a hash (the stored mail is redacted)', async () => {
		const smtp = await peer();
		const k = contact({ email: 'ann@example.com' });
		enqueue(db, {
			kind: 'set_password',
			idempotencyKey: 'set_password:cmd-1',
			customerId: 'c1',
			contactId: k,
			toEmail: 'ann@example.com'
		});
		worker(smtp.url);
		await until(() => smtp.received.length === 1, 5000, 'set-password mail');
		const token = /set-password\?token=([A-Za-z0-9_-]{43})/.exec(smtp.received[0].text ?? '')?.[1];
		expect(token).toBeDefined();
		expect(new SetPasswordLinks(db).check(token)).toMatchObject({ ok: true, contactId: k });
		await until(() => db.prepare("SELECT status FROM outbox WHERE kind = 'set_password'").pluck().get() === 'sent');
		const everything =
			JSON.stringify(db.prepare('SELECT * FROM outbox').all()) +
			JSON.stringify(db.prepare('SELECT * FROM set_password_tokens').all());
		expect(everything).not.toContain(token);
		expect(everything).toContain('token=REDACTED');
	});
});

describe('[§2] the staff password-reset mail (issue #14 item 9)', () => {
	it("carries a working staff link in the user's language; a deactivated user's row is not sent", async () => {
		const smtp = await peer();
		db.prepare("UPDATE users SET locale = 'pl' WHERE id = 'u-bob'").run();
		db.prepare("UPDATE users SET active = 0 WHERE id = 'u-ada'").run();
		for (const userId of ['u-bob', 'u-ada'])
			enqueue(db, {
				kind: 'staff_password_reset',
				idempotencyKey: `staff_password_reset:${userId}`,
				toEmail: `${userId}@staff.test`,
				payload: { userId }
			});
		worker(smtp.url);
		await until(() => smtp.received.length === 1, 5000, 'reset mail');
		const got = smtp.received[0];
		expect(got.rcptTo).toEqual(['bob@staff.test']);
		expect(got.subject).toBe('Zresetuj hasło do Fieldbook');
		const token = /set-password\?token=([A-Za-z0-9_-]{43})/.exec(got.text ?? '')?.[1];
		expect(new SetPasswordLinks(db).check(token)).toMatchObject({ ok: true, holder: 'staff', userId: 'u-bob' });
		await until(
			() => db.prepare("SELECT decision FROM outbox WHERE payload LIKE '%u-ada%'").pluck().get() === 'staff_inactive'
		);
	});
});

describe('[§8] SMTP server down', () => {
	it('mail stays queued during the outage and is delivered exactly once when it is back', async () => {
		const first = await startSmtpPeer();
		const port = first.port;
		const ids = Array.from({ length: 200 }, (_, i) => {
			const email = `o${i}@d${i % 5}.test`;
			return welcome(contact({ email }), email);
		});
		await first.close(); // the outage starts before the worker does
		const w = worker(`smtp://127.0.0.1:${port}`);
		await until(() => ids.every((id) => row(id).attempts >= 1 || row(id).next_attempt_at > 0), 10_000, 'deferred');
		expect(ids.every((id) => row(id).status === 'queued')).toBe(true);
		// A NEW server on the same port (a closed instance listened again answers 421).
		const back = await peer({ port });
		await until(() => ids.every((id) => row(id).status === 'sent'), 30_000, 'all delivered');
		const messageIds = back.received.map((m) => m.messageId);
		expect(messageIds).toHaveLength(200);
		expect(new Set(messageIds).size).toBe(200);
		await w.stop(); // before the peer closes: it waits for open connections
	});
});
