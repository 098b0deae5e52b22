import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addContact, initCustomer, updateContact } from '../src/lib/schema/customer-doc.ts';
import { openDatabase, type Db } from './db.ts';
import { decideWelcomeMails, enqueue } from './outbox.ts';

let dir: string;
let db: Db;
beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-outbox-'));
	db = openDatabase(path.join(dir, 'db.sqlite'));
});
afterEach(() => {
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

const rows = () => db.prepare('SELECT kind, idempotency_key, to_email, contact_id FROM outbox ORDER BY id').all();
const decide = (doc: Y.Doc) => db.transaction(() => decideWelcomeMails(db, 'cust-1', doc, 1000))();

function customerWith(contacts: { id: string; email?: string; doNotSendWelcome?: boolean }[]): Y.Doc {
	const doc = new Y.Doc();
	initCustomer(doc, { kind: 'company', authorId: 'u1', now: 1, fields: { companyName: 'Acme' } });
	for (const c of contacts) {
		addContact(doc, {
			id: c.id,
			fields: { firstName: 'A', lastName: 'B', email: c.email ?? null, doNotSendWelcome: c.doNotSendWelcome ?? false },
			authorId: 'u1',
			now: 2
		});
	}
	return doc;
}

describe('[§2] the welcome e-mail is decided once, when the server first sees a contact', () => {
	it('queues one welcome mail for a new contact with an e-mail', () => {
		decide(customerWith([{ id: 'k1', email: 'ann@example.com' }]));
		expect(rows()).toEqual([
			{ kind: 'welcome', idempotency_key: 'welcome:k1', to_email: 'ann@example.com', contact_id: 'k1' }
		]);
	});

	it('"do not send welcome e-mail" ticked when first seen: no mail, and unticking later sends none', () => {
		const doc = customerWith([{ id: 'k1', email: 'ann@example.com', doNotSendWelcome: true }]);
		decide(doc);
		updateContact(doc, 'k1', { doNotSendWelcome: false }, 'u1', 3);
		decide(doc);
		expect(rows()).toEqual([]);
	});

	it('a contact without e-mail gets none; replays and later merges never queue a second mail', () => {
		const doc = customerWith([{ id: 'k1', email: 'ann@example.com' }, { id: 'k2' }]);
		decide(doc);
		decide(doc);
		const replay = new Y.Doc();
		Y.applyUpdate(replay, Y.encodeStateAsUpdate(doc));
		decide(replay);
		expect(rows()).toHaveLength(1);
	});

	it('an idempotency key is used once', () => {
		expect(enqueue(db, { kind: 'set_password', idempotencyKey: 'cmd-1', contactId: 'k1' })).toBe(true);
		expect(enqueue(db, { kind: 'set_password', idempotencyKey: 'cmd-1', contactId: 'k1' })).toBe(false);
		expect(rows()).toHaveLength(1);
	});
});
