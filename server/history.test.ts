import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addContact,
	contactsMap,
	initCustomer,
	managersMap,
	trashContact,
	updateContact,
	updateCustomer
} from '../src/lib/schema/customer-doc.ts';
import { createRecord, moduleMap, trashRecord, updateRecord } from '../src/lib/schema/module-doc.ts';
import { DOC } from '../src/lib/schema/records.ts';
import { type Db, openDatabase } from './db.ts';
import { HistoryLog, describeTransaction, type FieldChange } from './history.ts';
import { projectCustomer } from './projection.ts';

const AUTHOR = 'user-1';
const CUSTOMER = '0190a3c4-0000-7000-8000-000000000001';
const ADA = '0190a3c4-0000-7000-8000-00000000000a';
const BOB = '0190a3c4-0000-7000-8000-00000000000b';

/** The changes each transaction of `doc` makes while `fn` runs, as the server's update handler sees them. */
function changesOf(doc: Y.Doc, fn: () => void): FieldChange[][] {
	const seen: FieldChange[][] = [];
	const onUpdate = (_u: Uint8Array, _o: unknown, _d: Y.Doc, tr: Y.Transaction) => seen.push(describeTransaction(tr));
	doc.on('update', onUpdate);
	try {
		fn();
	} finally {
		doc.off('update', onUpdate);
	}
	return seen;
}

const only = (changes: FieldChange[][]): FieldChange[] => {
	expect(changes).toHaveLength(1);
	return changes[0];
};

const customerChange = (field: string, value: FieldChange['value']): FieldChange => ({
	record: 'customer',
	contactId: null,
	field,
	value
});
const contactChange = (contactId: string, field: string, value: FieldChange['value']): FieldChange => ({
	record: 'contact',
	contactId,
	field,
	value
});

function company(): Y.Doc {
	const doc = new Y.Doc();
	initCustomer(doc, { kind: 'company', authorId: AUTHOR, now: 1000, fields: { companyName: 'Acme GmbH' } });
	addContact(doc, { id: ADA, fields: { firstName: 'Ada', lastName: 'Lovelace' }, authorId: AUTHOR, now: 1001 });
	return doc;
}

describe('describeTransaction', () => {
	it('a new customer: created, its fields and its first manager, without bookkeeping keys', () => {
		const doc = new Y.Doc();
		const changes = only(
			changesOf(doc, () =>
				initCustomer(doc, { kind: 'company', authorId: AUTHOR, now: 1000, fields: { companyName: 'Acme GmbH' } })
			)
		);
		expect(changes).toEqual([
			customerChange('kind', 'company'),
			customerChange('access', 'private'),
			customerChange('created', null),
			customerChange('companyName', 'Acme GmbH'),
			customerChange('managers', { user: AUTHOR, assigned: true })
		]);
	});

	it('an edit lists the changed field only; a cleared field is null', () => {
		const doc = company();
		expect(only(changesOf(doc, () => updateCustomer(doc, { city: 'Bern' }, AUTHOR, 2000)))).toEqual([
			customerChange('city', 'Bern')
		]);
		expect(only(changesOf(doc, () => updateCustomer(doc, { city: '' }, AUTHOR, 2001)))).toEqual([
			customerChange('city', null)
		]);
	});

	it('a new contact: created and all its fields, and the customer field it changes', () => {
		const doc = company();
		const changes = only(
			changesOf(doc, () =>
				addContact(doc, {
					id: BOB,
					fields: { firstName: 'Bob', lastName: 'Baker', email: 'bob@example.com' },
					authorId: AUTHOR,
					now: 3000,
					defaultPermissions: { invoices: true },
					primary: true
				})
			)
		);
		expect(changes).toContainEqual(customerChange('primaryContactId', BOB));
		const bob = changes.filter((c) => c.contactId === BOB);
		expect(bob[0]).toEqual(contactChange(BOB, 'created', null));
		expect(bob).toContainEqual(contactChange(BOB, 'firstName', 'Bob'));
		expect(bob).toContainEqual(contactChange(BOB, 'email', 'bob@example.com'));
		expect(bob).toContainEqual(contactChange(BOB, 'permissions.invoices', true));
		expect(bob).toContainEqual(contactChange(BOB, 'permissions.support', false));
		expect(bob.map((c) => c.field)).not.toContain('createdAt');
		expect(new Set(bob.map((c) => c.field)).size).toBe(bob.length);
	});

	it('a contact edit names the contact and the field', () => {
		const doc = company();
		expect(
			only(changesOf(doc, () => updateContact(doc, ADA, { position: 'CTO', phone: '+41 1' }, AUTHOR, 4000)))
		).toEqual([contactChange(ADA, 'position', 'CTO'), contactChange(ADA, 'phone', '+41 1')]);
	});

	it('trashing the primary contact: its deletedAt, and the primary moving on', () => {
		const doc = company();
		addContact(doc, { id: BOB, fields: { firstName: 'Bob', lastName: 'Baker' }, authorId: AUTHOR, now: 1002 });
		expect(only(changesOf(doc, () => trashContact(doc, ADA, 5000)))).toEqual([
			customerChange('primaryContactId', BOB),
			contactChange(ADA, 'deletedAt', 5000)
		]);
	});

	it('a contact removed from the document, and a manager unassigned', () => {
		const doc = company();
		expect(only(changesOf(doc, () => contactsMap(doc).delete(ADA)))).toEqual([contactChange(ADA, 'deleted', null)]);
		expect(only(changesOf(doc, () => managersMap(doc).delete(AUTHOR)))).toEqual([
			customerChange('managers', { user: AUTHOR, assigned: false })
		]);
	});

	it('an update applied to a copy loaded from updates (roots not yet typed), as on the server', () => {
		const device = company();
		const server = new Y.Doc();
		Y.applyUpdate(server, Y.encodeStateAsUpdate(device));
		const sent: Uint8Array[] = [];
		device.on('update', (u: Uint8Array) => sent.push(u));
		updateContact(device, ADA, { email: 'ada@example.com' }, 'user-2', 6000);
		updateCustomer(device, { phone: '+41 2' }, 'user-2', 6001);
		const changes = changesOf(server, () => {
			for (const u of sent) Y.applyUpdate(server, u, { kind: 'remote' });
		});
		expect(changes).toEqual([[contactChange(ADA, 'email', 'ada@example.com')], [customerChange('phone', '+41 2')]]);
	});

	it('[#12] module records: created with their fields, a changed field, the trash, a removal', () => {
		const doc = company();
		const created = only(
			changesOf(doc, () =>
				createRecord(doc, DOC.projects, {
					id: 'p1',
					authorId: AUTHOR,
					now: 2000,
					fields: { name: 'Roof', status: 'notStarted' }
				})
			)
		);
		const project = (field: string, value: FieldChange['value']): FieldChange => ({
			record: DOC.projects,
			contactId: null,
			recordId: 'p1',
			field,
			value
		});
		expect(created).toEqual([project('created', null), project('name', 'Roof'), project('status', 'notStarted')]);
		expect(
			only(changesOf(doc, () => updateRecord(doc, DOC.projects, 'p1', { status: 'inProgress' }, AUTHOR, 2001)))
		).toEqual([project('status', 'inProgress')]);
		expect(only(changesOf(doc, () => trashRecord(doc, DOC.projects, 'p1', AUTHOR, 2002)))).toEqual([
			project('deletedAt', 2002)
		]);
		expect(only(changesOf(doc, () => moduleMap(doc, DOC.projects).delete('p1')))).toEqual([project('deleted', null)]);
		// A root the schema does not know (an older or newer client's) is no record: nothing, no crash.
		expect(changesOf(doc, () => doc.getMap('unknownRoot').set('x', 1))).toEqual([[]]);
	});

	it('an edit of nothing tracked describes nothing', () => {
		const doc = company();
		expect(only(changesOf(doc, () => updateCustomer(doc, {}, AUTHOR, 7000)))).toEqual([]);
	});
});

describe('HistoryLog', () => {
	let dir: string;
	let db: Db;
	let log: HistoryLog;

	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-history-'));
		db = openDatabase(path.join(dir, 'fieldbook.db'));
		log = new HistoryLog(db);
	});

	afterEach(() => {
		db.close();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	const addUser = (id: string, name: string) =>
		db
			.prepare(
				`INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at)
				 VALUES (?, ?, ?, 'staff', 'x', 0, 0)`
			)
			.run(id, `${id}@example.com`, name);

	it('records inside the commit transaction and lists events newest first, grouped', () => {
		db.transaction(() => {
			log.record(CUSTOMER, AUTHOR, 1000, [customerChange('companyName', 'Acme'), customerChange('city', 'Bern')], 1);
			log.record(CUSTOMER, null, 1000, [customerChange('primaryContactId', ADA)], 2);
			log.record('other-doc', AUTHOR, 1500, [customerChange('city', 'Basel')], 3);
		})();
		log.record(CUSTOMER, 'user-2', 2000, [contactChange(ADA, 'position', 'CTO')], 4);
		expect(log.list(CUSTOMER, { limit: 10 })).toEqual([
			{ at: 2000, userId: 'user-2', seq: 4, changes: [contactChange(ADA, 'position', 'CTO')] },
			{ at: 1000, userId: null, seq: 2, changes: [customerChange('primaryContactId', ADA)] },
			{
				at: 1000,
				userId: AUTHOR,
				seq: 1,
				changes: [customerChange('companyName', 'Acme'), customerChange('city', 'Bern')]
			}
		]);
	});

	it('a failed commit leaves no history', () => {
		expect(() =>
			db.transaction(() => {
				log.record(CUSTOMER, AUTHOR, 1000, [customerChange('city', 'Bern')]);
				throw new Error('disk full');
			})()
		).toThrow('disk full');
		expect(log.list(CUSTOMER, { limit: 10 })).toEqual([]);
	});

	it('keeps long text short and stores nothing for no changes', () => {
		log.record(CUSTOMER, AUTHOR, 1000, []);
		log.record(CUSTOMER, AUTHOR, 1001, [customerChange('description', 'x'.repeat(5000))]);
		const [entry] = log.list(CUSTOMER, { limit: 10 });
		expect(entry.changes[0].value).toBe('x'.repeat(200) + '…');
		expect((db.prepare('SELECT count(*) AS n FROM history').get() as { n: number }).n).toBe(1);
	});

	it('pages by time: limit, before, and the cursor for older entries', () => {
		for (let i = 1; i <= 5; i++) log.record(CUSTOMER, AUTHOR, i * 1000, [customerChange('city', `City ${i}`)], i);
		const first = log.page(CUSTOMER, { limit: 2 });
		expect(first.entries.map((e) => e.at)).toEqual([5000, 4000]);
		expect(first.next).toBe(4000);
		const second = log.page(CUSTOMER, { limit: 2, before: first.next! });
		expect(second.entries.map((e) => e.at)).toEqual([3000, 2000]);
		const last = log.page(CUSTOMER, { limit: 2, before: second.next! });
		expect(last.entries.map((e) => e.at)).toEqual([1000]);
		expect(last.next).toBeNull();
	});

	it('[#12] a module record change says what it was before, and names the record', () => {
		const doc = company();
		db.transaction(() => projectCustomer(db, CUSTOMER, doc))();
		db.prepare("INSERT INTO projects (id, customer_id, name, status) VALUES ('p1', ?, 'Roof', 'inProgress')").run(
			CUSTOMER
		);
		const change = (field: string, value: FieldChange['value']): FieldChange => ({
			record: DOC.projects,
			contactId: null,
			recordId: 'p1',
			field,
			value
		});
		log.record(CUSTOMER, AUTHOR, 1000, [change('created', null), change('status', 'notStarted')]);
		log.record(CUSTOMER, AUTHOR, 1001, [change('status', 'inProgress')]);
		const [latest, first] = log.page(CUSTOMER, { limit: 10 }).entries;
		expect(latest.changes).toEqual([
			{ ...change('status', 'inProgress'), from: 'notStarted', contactName: null, recordName: 'Roof' }
		]);
		expect(first.changes[1]).toMatchObject({ from: null, recordName: 'Roof' });
	});

	it('a new record keeps what it was created with: its empty and off fields read as empty and off later', () => {
		const doc = company();
		db.transaction(() => projectCustomer(db, CUSTOMER, doc))();
		log.record(CUSTOMER, AUTHOR, 1000, [
			contactChange(ADA, 'created', null),
			contactChange(ADA, 'firstName', 'Ada'),
			contactChange(ADA, 'title', ''),
			contactChange(ADA, 'phone', null),
			contactChange(ADA, 'permInvoices', false)
		]);
		const rows = () => db.prepare('SELECT field FROM history WHERE doc = ? ORDER BY id').pluck().all(CUSTOMER);
		expect(rows()).toEqual(['created', 'firstName']);
		// A change of an existing record is written whatever its value (someone cleared the field).
		log.record(CUSTOMER, AUTHOR, 2000, [contactChange(ADA, 'firstName', '')]);
		log.record(CUSTOMER, AUTHOR, 3000, [contactChange(ADA, 'permInvoices', true), contactChange(ADA, 'title', 'Dr.')]);
		expect(rows()).toEqual(['created', 'firstName', 'firstName', 'permInvoices', 'title']);
		const [later, cleared, created] = log.page(CUSTOMER, { limit: 10 }).entries;
		expect(later.changes).toMatchObject([
			{ field: 'permInvoices', value: true, from: false },
			{ field: 'title', value: 'Dr.', from: null }
		]);
		expect(cleared.changes).toMatchObject([{ field: 'firstName', value: '', from: 'Ada' }]);
		expect(created.changes.map((c) => c.field)).toEqual(['created', 'firstName']);
		// A switch of a record whose creation the history never saw has no known earlier value.
		log.record(CUSTOMER, AUTHOR, 4000, [contactChange(BOB, 'permInvoices', true)]);
		expect(log.page(CUSTOMER, { limit: 1 }).entries[0].changes).toMatchObject([{ field: 'permInvoices', from: null }]);
	});

	it('a page names authors, managers and contacts; the server itself has no author', () => {
		addUser(AUTHOR, 'Alice Admin');
		const doc = company();
		db.transaction(() => projectCustomer(db, CUSTOMER, doc))();
		log.record(CUSTOMER, AUTHOR, 1000, [
			customerChange('managers', { user: AUTHOR, assigned: true }),
			contactChange(ADA, 'position', 'CTO')
		]);
		log.record(CUSTOMER, null, 1001, [customerChange('primaryContactId', ADA)]);
		log.record(CUSTOMER, 'gone-user', 1002, [contactChange('gone-contact', 'phone', null)]);
		const { entries } = log.page(CUSTOMER, { limit: 10 });
		expect(entries).toEqual([
			{
				at: 1002,
				seq: null,
				author: { id: 'gone-user', name: null },
				changes: [{ ...contactChange('gone-contact', 'phone', null), from: null, contactName: null }]
			},
			{
				at: 1001,
				seq: null,
				author: null,
				changes: [{ ...customerChange('primaryContactId', ADA), from: null, contactName: null }]
			},
			{
				at: 1000,
				seq: null,
				author: { id: AUTHOR, name: 'Alice Admin' },
				changes: [
					{
						record: 'customer',
						contactId: null,
						field: 'managers',
						value: { user: AUTHOR, assigned: true, name: 'Alice Admin' },
						contactName: null
					},
					{ ...contactChange(ADA, 'position', 'CTO'), from: null, contactName: 'Ada Lovelace' }
				]
			}
		]);
	});
});
