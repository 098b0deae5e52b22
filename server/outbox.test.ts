import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addContact,
	addManager,
	initCustomer,
	removeManager,
	trashCustomer,
	updateContact
} from '../src/lib/schema/customer-doc.ts';
import { openDatabase, type Db } from './db.ts';
import { decideManagerMails, decideWelcomeMails, enqueue } from './outbox.ts';
import { projectCustomer } from './projection.ts';

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

	it('[#11.4] a contact deleted before the server first saw it, or of a deleted customer, gets none', () => {
		const doc = customerWith([{ id: 'k1', email: 'ann@example.com' }]);
		updateContact(doc, 'k1', { deletedAt: 2 }, 'u1', 3);
		decide(doc);
		const trashed = customerWith([{ id: 'k2', email: 'bo@example.com' }]);
		trashCustomer(trashed, 'u1', 3);
		db.transaction(() => decideWelcomeMails(db, 'cust-2', trashed, 1000))();
		expect(rows()).toEqual([]);
		const seen = db.prepare('SELECT contact_id, welcome FROM contacts_seen ORDER BY contact_id').all();
		expect(seen).toEqual([
			{ contact_id: 'k1', welcome: 'deleted' },
			{ contact_id: 'k2', welcome: 'deleted' }
		]);
	});

	it('[#11.4] two contacts sharing an address (case, spaces) get one welcome mail', () => {
		decide(
			customerWith([
				{ id: 'k1', email: 'ann@example.com' },
				{ id: 'k2', email: ' ANN@example.com ' }
			])
		);
		const other = customerWith([{ id: 'k3', email: 'Ann@Example.com' }]);
		db.transaction(() => decideWelcomeMails(db, 'cust-2', other, 1000))();
		expect(rows()).toEqual([
			{ kind: 'welcome', idempotency_key: 'welcome:k1', to_email: 'ann@example.com', contact_id: 'k1' }
		]);
	});

	it('an idempotency key is used once', () => {
		expect(enqueue(db, { kind: 'set_password', idempotencyKey: 'cmd-1', contactId: 'k1' })).toBe(true);
		expect(enqueue(db, { kind: 'set_password', idempotencyKey: 'cmd-1', contactId: 'k1' })).toBe(false);
		expect(rows()).toHaveLength(1);
	});
});

describe('[§2] an assigned staff member is notified', () => {
	const CUSTOMER = 'cust-m';
	function staff(id: string, name: string, active = true): void {
		db.prepare(
			`INSERT INTO users (id, email, name, role, password_hash, active, created_at, updated_at)
			 VALUES (?, ?, ?, 'staff', 'x', ?, 0, 0)`
		).run(id, `${name.toLowerCase()}@example.com`, name, active ? 1 : 0);
	}
	beforeEach(() => {
		staff('ada', 'Ada');
		staff('bob', 'Bob');
		staff('cy', 'Cy');
		staff('gone', 'Gone', false);
	});

	/** As the commit hook runs them: mails decided before the projection is rewritten, in one transaction. */
	const commit = (doc: Y.Doc, by?: string) =>
		db.transaction(() => {
			decideManagerMails(db, CUSTOMER, doc, by, 5000);
			projectCustomer(db, CUSTOMER, doc);
		})();
	const mails = () =>
		(
			db
				.prepare(
					"SELECT idempotency_key, to_email, payload, created_by FROM outbox WHERE kind = 'manager_assigned' ORDER BY id"
				)
				.all() as { idempotency_key: string; to_email: string; payload: string; created_by: string }[]
		).map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown }));

	function acme(): Y.Doc {
		const doc = new Y.Doc();
		initCustomer(doc, { kind: 'company', authorId: 'ada', now: 1, fields: { companyName: 'Acme' } });
		return doc;
	}

	it('the author of a new record is not told about themselves; managers they add on create are', () => {
		commit(acme());
		expect(mails()).toEqual([]);
		const other = new Y.Doc();
		initCustomer(other, {
			kind: 'company',
			authorId: 'ada',
			now: 1,
			fields: { companyName: 'Beta' },
			managers: ['bob']
		});
		db.transaction(() => decideManagerMails(db, 'cust-b', other, undefined, 5000))();
		expect(mails()).toEqual([
			{
				idempotency_key: expect.stringMatching(/^manager_assigned:cust-b:bob:\d+\.\d+$/),
				to_email: 'bob@example.com',
				payload: { customerId: 'cust-b', customerName: 'Beta', assignedBy: 'ada', userId: 'bob' },
				created_by: 'ada'
			}
		]);
	});

	it('one row per assignment: commits, replays and re-merges of the same assignment add none', () => {
		const doc = acme();
		commit(doc);
		addManager(doc, 'bob', 'ada', 2);
		commit(doc, 'ada');
		commit(doc, 'ada');
		const replay = new Y.Doc();
		Y.applyUpdate(replay, Y.encodeStateAsUpdate(doc));
		commit(replay, 'ada');
		// Even with the projection not yet knowing the assignment, the key is the same.
		db.prepare('DELETE FROM customer_managers WHERE user_id = ?').run('bob');
		commit(replay, 'ada');
		expect(mails()).toHaveLength(1);
		expect(mails()[0]).toMatchObject({ to_email: 'bob@example.com', payload: { assignedBy: 'ada' } });
	});

	it('assigning oneself sends nothing; without a given author the last editor is taken', () => {
		const doc = acme();
		commit(doc);
		addManager(doc, 'bob', 'bob', 2); // an admin making themselves manager
		commit(doc);
		expect(mails()).toEqual([]);
		addManager(doc, 'cy', 'bob', 3);
		commit(doc);
		expect(mails()).toEqual([expect.objectContaining({ to_email: 'cy@example.com', created_by: 'bob' })]);
	});

	it('a re-assignment after removal notifies again', () => {
		const doc = acme();
		commit(doc);
		addManager(doc, 'bob', 'ada', 2);
		commit(doc, 'ada');
		removeManager(doc, 'bob', 'ada', 3);
		commit(doc, 'ada');
		addManager(doc, 'bob', 'ada', 4);
		commit(doc, 'ada');
		const keys = mails().map((m) => m.idempotency_key);
		expect(keys).toHaveLength(2);
		expect(new Set(keys).size).toBe(2);
	});

	it('deactivated or unknown accounts and trashed records get no mail; a rolled-back commit leaves no row', () => {
		const doc = acme();
		commit(doc);
		addManager(doc, 'gone', 'ada', 2);
		addManager(doc, 'stranger', 'ada', 2);
		commit(doc, 'ada');
		expect(mails()).toEqual([]);
		const trashed = acme();
		trashCustomer(trashed, 'ada', 3);
		addManager(trashed, 'bob', 'ada', 4);
		db.transaction(() => decideManagerMails(db, 'cust-t', trashed, 'ada', 5000))();
		expect(mails()).toEqual([]);
		const fresh = acme();
		addManager(fresh, 'cy', 'ada', 2);
		expect(() =>
			db.transaction(() => {
				decideManagerMails(db, 'cust-r', fresh, 'ada', 5000);
				throw new Error('commit failed');
			})()
		).toThrow('commit failed');
		expect(mails()).toEqual([]);
	});
});
