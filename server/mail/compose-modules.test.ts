import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db.ts';
import { enqueue } from '../outbox.ts';
import { compose, type OutboxRecord } from './compose.ts';
import { MailTemplates } from './templates.ts';

let dir: string;
let db: Db;

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-compose-'));
	db = openDatabase(path.join(dir, 'db.sqlite'));
	db.prepare("INSERT INTO customers (id, kind, company_name) VALUES ('c1', 'company', 'Acme AG')").run();
	db.prepare(
		`INSERT INTO contacts (id, customer_id, first_name, last_name, email, email_key, is_primary, language)
		 VALUES ('k1', 'c1', 'Jana', 'Nowak', 'jana@example.com', 'jana@example.com', 1, 'de')`
	).run();
	db.prepare(
		`INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at, locale)
		 VALUES ('u1', 'sam@staff.test', 'Sam', 'staff', 'x', 1, 1, 'fr')`
	).run();
});
afterEach(() => {
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

function composed(row: Parameters<typeof enqueue>[1]) {
	enqueue(db, row);
	const record = db.prepare('SELECT * FROM outbox WHERE idempotency_key = ?').get(row.idempotencyKey) as OutboxRecord;
	const env = { db, templates: new MailTemplates(db), origin: 'https://crm.test', setPasswordLink: () => '' };
	const c = compose(env, record);
	if (!c.send) throw new Error(c.decision);
	return c.mail;
}

describe('[#12] module mail', () => {
	it('a sent invoice: number, total and due date in the contact language, the portal link', () => {
		const mail = composed({
			kind: 'invoice',
			idempotencyKey: 'send:c1:s:k1',
			customerId: 'c1',
			contactId: 'k1',
			payload: {
				documentName: 'INV-000042',
				documentNumber: 'INV-000042',
				documentPath: '/portal/invoices/s1',
				total: 123_450,
				currency: 'EUR',
				dueDate: '2026-12-31'
			}
		});
		expect(mail.subject).toBe('Neu – Rechnung: INV-000042');
		expect(mail.text).toContain('Gesamtbetrag: 1.234,50 €');
		expect(mail.text).toContain('Fällig am: 31.12.2026');
		expect(mail.text).toContain('https://crm.test/portal/invoices/s1');
	});

	it('a project update names its status in the contact language', () => {
		const mail = composed({
			kind: 'project',
			idempotencyKey: 'project:p1:created:k1',
			customerId: 'c1',
			contactId: 'k1',
			payload: { documentName: 'Dach', documentPath: '/portal/projects/p1', status: 'inProgress' }
		});
		expect(mail.text).toContain('Status: In Bearbeitung');
	});

	it('a contact message in a ticket goes to the manager, in the manager language', () => {
		const mail = composed({
			kind: 'ticket_staff',
			idempotencyKey: 'ticket_staff:reply:r1:u1',
			customerId: 'c1',
			toEmail: 'sam@staff.test',
			payload: { userId: 'u1', contactId: 'k1', documentName: 'Fuite', message: 'Toujours une fuite' }
		});
		expect(mail.to.address).toBe('sam@staff.test');
		expect(mail.subject).toBe('Acme AG : Jana Nowak a écrit dans le ticket Fuite');
		expect(mail.text).toContain('Toujours une fuite');
		expect(mail.text).toContain('https://crm.test/customers/c1');
	});
});
