import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addContact,
	contactsMap,
	initCustomer,
	trashCustomer,
	updateContact,
	updateCustomer
} from '../src/lib/schema/customer-doc.ts';
import { type Db, openDatabase } from './db.ts';
import { describeTransaction } from '../src/lib/schema/history.ts';
import { customKey } from '../src/lib/schema/custom-values.ts';
import { projectCustomer, removeCustomer, touchedBy } from './projection.ts';

const AUTHOR = 'user-1';
const CUSTOMER = '0190a3c4-0000-7000-8000-000000000001';
const ADA = '0190a3c4-0000-7000-8000-00000000000a';
const BOB = '0190a3c4-0000-7000-8000-00000000000b';

let dir: string;
let db: Db;

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-projection-'));
	db = openDatabase(path.join(dir, 'fieldbook.db'));
});

afterEach(() => {
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

/** As the commit does it: inside one transaction. */
const project = (doc: Y.Doc, name = CUSTOMER) => db.transaction(() => projectCustomer(db, name, doc))();

function company(): Y.Doc {
	const doc = new Y.Doc();
	initCustomer(doc, {
		kind: 'company',
		authorId: AUTHOR,
		now: 1000,
		fields: { companyName: 'Acme GmbH', city: 'Bern', email: 'info@acme.example' }
	});
	addContact(doc, {
		id: ADA,
		fields: { firstName: 'Ada', lastName: 'Lovelace', email: 'Ada@Example.COM' },
		authorId: AUTHOR,
		now: 1001,
		defaultPermissions: { invoices: true, support: true }
	});
	addContact(doc, { id: BOB, fields: { firstName: 'Bob', lastName: 'Baker' }, authorId: AUTHOR, now: 1002 });
	return doc;
}

const customerRow = (id = CUSTOMER) =>
	db.prepare('SELECT * FROM customers WHERE id = ?').get(id) as Record<string, unknown>;
const contactRow = (id: string) => db.prepare('SELECT * FROM contacts WHERE id = ?').get(id) as Record<string, unknown>;
const contactIds = (customerId = CUSTOMER) =>
	(db.prepare('SELECT id FROM contacts WHERE customer_id = ? ORDER BY id').all(customerId) as { id: string }[]).map(
		(r) => r.id
	);

describe('customer projection', () => {
	it('a company with two contacts becomes one customer row, its managers and two contact rows', () => {
		project(company());
		expect(customerRow()).toEqual({
			id: CUSTOMER,
			kind: 'company',
			company_name: 'Acme GmbH',
			contact_type_id: null,
			email: 'info@acme.example',
			phone: null,
			city: 'Bern',
			country: null,
			access: 'private',
			primary_contact_id: ADA,
			created_by: AUTHOR,
			created_at: 1000,
			updated_at: 1002,
			deleted_at: null,
			details: expect.any(String)
		});
		expect(db.prepare('SELECT user_id FROM customer_managers WHERE customer_id = ?').all(CUSTOMER)).toEqual([
			{ user_id: AUTHOR }
		]);
		expect(contactIds()).toEqual([ADA, BOB]);
		expect(contactRow(ADA)).toMatchObject({
			customer_id: CUSTOMER,
			first_name: 'Ada',
			last_name: 'Lovelace',
			position: null,
			is_primary: 1,
			created_at: 1001,
			deleted_at: null
		});
		expect(contactRow(BOB)).toMatchObject({ is_primary: 0, email: null });
	});

	it('an edited field is updated when projected again', () => {
		const doc = company();
		project(doc);
		updateCustomer(doc, { companyName: 'Acme AG', country: 'CH' }, AUTHOR, 2000);
		updateContact(doc, BOB, { position: 'CFO' }, AUTHOR, 2001);
		project(doc);
		expect(customerRow()).toMatchObject({ company_name: 'Acme AG', country: 'CH', updated_at: 2001 });
		expect(contactRow(BOB)).toMatchObject({ position: 'CFO' });
	});

	it('[#13] do-not-e-mail is a column; labelled values, birthday and tags are in the details', () => {
		const doc = company();
		updateContact(
			doc,
			BOB,
			{ doNotEmail: true, 'emails.1': 'bob@home.example', 'emails.1.label': 'home', birthday: '--04-15', tags: 'VIP' },
			AUTHOR,
			2001
		);
		project(doc);
		const row = contactRow(BOB) as { do_not_email: number; details: string };
		expect(row.do_not_email).toBe(1);
		expect(JSON.parse(row.details)).toMatchObject({
			emails: [{ value: 'bob@home.example', label: 'home' }],
			birthday: '--04-15',
			tags: ['VIP']
		});
		expect(contactRow(ADA)).toMatchObject({ do_not_email: null });
	});

	it("[#11] a contact's mail language is projected; unset or unknown is NULL (the installation's default)", () => {
		const doc = company();
		project(doc);
		expect(contactRow(BOB)).toMatchObject({ language: null });
		updateContact(doc, BOB, { language: 'pl' }, AUTHOR, 2001);
		project(doc);
		expect(contactRow(BOB)).toMatchObject({ language: 'pl' });
	});

	it('a contact removed from the contacts map loses its row; the primary moves on', () => {
		const doc = company();
		project(doc);
		contactsMap(doc).delete(ADA);
		project(doc);
		expect(contactIds()).toEqual([BOB]);
		expect(contactRow(BOB)).toMatchObject({ is_primary: 1 });
		expect(customerRow()).toMatchObject({ primary_contact_id: BOB });
	});

	it('permission and notification columns reflect the flags: 1, 0, or NULL when never set', () => {
		const doc = company();
		updateContact(doc, ADA, { 'notifications.invoice': true, 'notifications.task': false }, AUTHOR, 3);
		updateContact(doc, BOB, { doNotSendWelcome: true }, AUTHOR, 4);
		project(doc);
		expect(contactRow(ADA)).toMatchObject({
			perm_invoices: 1,
			perm_estimates: 0,
			perm_contracts: 0,
			perm_proposals: 0,
			perm_support: 1,
			perm_projects: 0,
			notify_invoice: 1,
			notify_task: 0,
			notify_credit_note: null,
			do_not_send_welcome: null
		});
		expect(contactRow(BOB)).toMatchObject({ perm_invoices: 0, perm_support: 0, do_not_send_welcome: 1 });
	});

	it('[§2] email_key is the trimmed, lower-cased e-mail, NULL when there is none', () => {
		const doc = company();
		// Written raw, as another client might: the UI helpers already trim.
		contactsMap(doc).get(ADA)!.set('email', '  Ada@Example.COM ');
		project(doc);
		expect(contactRow(ADA)).toMatchObject({ email: '  Ada@Example.COM ', email_key: 'ada@example.com' });
		expect(contactRow(BOB)).toMatchObject({ email: null, email_key: null });
		contactsMap(doc).get(BOB)!.set('email', '');
		contactsMap(doc).get(ADA)!.set('email', '   ');
		project(doc);
		expect(contactRow(BOB)).toMatchObject({ email: null, email_key: null });
		expect(contactRow(ADA)).toMatchObject({ email_key: null });
		contactsMap(doc).get(ADA)!.set('email', 'ADA@example.com');
		project(doc);
		expect(db.prepare('SELECT id FROM contacts WHERE email_key = ?').all('ada@example.com')).toEqual([{ id: ADA }]);
	});

	it('a trashed customer keeps its rows with deleted_at set', () => {
		const doc = company();
		trashCustomer(doc, AUTHOR, 5000);
		project(doc);
		expect(customerRow()).toMatchObject({ deleted_at: 5000 });
	});

	it('a document that holds no customer projects nothing, and drops rows it had', () => {
		project(new Y.Doc());
		expect(customerRow()).toBeUndefined();
		project(company());
		project(new Y.Doc());
		expect(customerRow()).toBeUndefined();
		expect(db.prepare('SELECT count(*) AS n FROM contacts').get()).toEqual({ n: 0 });
	});

	it('removeCustomer deletes the customer, its contacts and its managers', () => {
		project(company());
		project(company(), 'other-customer');
		db.transaction(() => removeCustomer(db, CUSTOMER))();
		expect(customerRow()).toBeUndefined();
		expect(contactIds()).toEqual([]);
		expect(db.prepare('SELECT count(*) AS n FROM customer_managers WHERE customer_id = ?').get(CUSTOMER)).toEqual({
			n: 0
		});
		expect(customerRow('other-customer')).toMatchObject({ kind: 'company' });
	});

	it("a contact id another customer already uses is skipped, never failing the caller's commit", () => {
		project(company());
		project(company(), 'other-customer');
		expect(contactIds('other-customer')).toEqual([]);
		expect(contactIds()).toEqual([ADA, BOB]);
	});

	it('refuses to run outside a transaction, so a customer is never half rewritten', () => {
		expect(() => projectCustomer(db, CUSTOMER, company())).toThrow(/inside the transaction/);
		expect(customerRow()).toBeUndefined();
	});
});

describe("customer projection of one commit's changes (touchedBy)", () => {
	const CAROL = '0190a3c4-0000-7000-8000-00000000000c';
	const customValue = (contactId: string) =>
		db.prepare('SELECT value FROM custom_values WHERE customer_id = ? AND contact_id = ?').all(CUSTOMER, contactId);

	/** Applies `edit` in one transaction and projects it as the commit does: only what it touched. */
	function commit(doc: Y.Doc, edit: () => void): void {
		let changes: ReturnType<typeof describeTransaction> = [];
		const record = (tr: Y.Transaction) => (changes = describeTransaction(tr));
		doc.on('afterTransaction', record);
		doc.transact(edit);
		doc.off('afterTransaction', record);
		db.transaction(() => projectCustomer(db, CUSTOMER, doc, touchedBy(changes)))();
	}

	it("an edit of one contact rewrites that contact's row, not its colleagues'", () => {
		const doc = company();
		project(doc);
		db.prepare("UPDATE contacts SET position = 'kept as it was' WHERE id = ?").run(ADA);
		commit(doc, () => updateContact(doc, BOB, { position: 'CFO', [customKey('f1')]: 'B-1' }, AUTHOR, 2000));
		expect(contactRow(BOB)).toMatchObject({ position: 'CFO' });
		expect(customValue(BOB)).toEqual([{ value: '"B-1"' }]);
		expect(contactRow(ADA)).toMatchObject({ position: 'kept as it was' });
	});

	it('a contact added to a company gets its row; the others stay, the primary with them', () => {
		const doc = company();
		project(doc);
		commit(doc, () =>
			addContact(doc, {
				id: CAROL,
				fields: { firstName: 'Carol', email: 'carol@example.com' },
				authorId: AUTHOR,
				now: 2000
			})
		);
		expect(contactIds()).toEqual([ADA, BOB, CAROL]);
		expect(contactRow(CAROL)).toMatchObject({ first_name: 'Carol', email_key: 'carol@example.com', is_primary: 0 });
		expect(contactRow(ADA)).toMatchObject({ is_primary: 1 });
	});

	it('the primary contact removed: its row goes and the next one is marked primary, though its row was not touched', () => {
		const doc = company();
		project(doc);
		commit(doc, () => contactsMap(doc).delete(ADA));
		expect(contactIds()).toEqual([BOB]);
		expect(contactRow(BOB)).toMatchObject({ is_primary: 1 });
		expect(customerRow()).toMatchObject({ primary_contact_id: BOB });
	});

	it('a trashed and restored customer rewrites every contact row', () => {
		const doc = company();
		project(doc);
		db.prepare("UPDATE contacts SET position = 'stale'").run();
		commit(doc, () => trashCustomer(doc, AUTHOR, 3000));
		expect(contactRow(ADA)).toMatchObject({ position: null });
		expect(contactRow(BOB)).toMatchObject({ position: null });
	});
});
