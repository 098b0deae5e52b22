import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addContact, initCustomer, updateContact } from '../../src/lib/schema/customer-doc.ts';
import { describeTransaction, type FieldChange } from '../../src/lib/schema/history.ts';
import {
	addSaleLine,
	createRecord,
	createSale,
	moduleMap,
	readSale,
	requestSend,
	trashRecord,
	updateRecord
} from '../../src/lib/schema/module-doc.ts';
import { DOC, notificationKey, type FieldValue, type Notification } from '../../src/lib/schema/records.ts';
import { projectDocument } from '../app.ts';
import { openDatabase, type Db } from '../db.ts';
import { touchedBy } from '../projection.ts';
import { Modules } from './modules.ts';

const AUTHOR = 'u-staff';
let dir: string;
let db: Db;
let now = Date.UTC(2026, 11, 7, 10);
let modules: Modules;
let after: (() => void)[] = [];
const docs = new Map<string, Y.Doc>();

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-modules-'));
	db = openDatabase(path.join(dir, 'db.sqlite'));
	db.prepare(
		`INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at)
		 VALUES ('u-staff', 'staff@staff.test', 'Sam', 'staff', 'x', 1, 1)`
	).run();
	modules = new Modules(db, () => now);
	modules.attach({
		afterCommit: (fn) => after.push(fn),
		change: (name, fn) => edit(name, null, () => fn(docs.get(name)!)),
		mailQueued: () => {}
	});
	after = [];
	docs.clear();
});
afterEach(() => {
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

/** As the server's commit does it: what the transaction changed, projected in one SQL transaction, then the after-commit steps. */
function edit(name: string, by: string | null, fn: () => void): void {
	const doc = docs.get(name)!;
	const changes: FieldChange[] = [];
	const listen = (_u: Uint8Array, _o: unknown, _d: Y.Doc, tr: Y.Transaction) =>
		changes.push(...describeTransaction(tr));
	doc.on('update', listen);
	doc.transact(fn);
	doc.off('update', listen);
	const project = projectDocument(db, modules);
	db.transaction(() => project(name, doc, by, touchedBy(changes)))();
	for (const f of after.splice(0)) f();
}

function customer(name: string, contacts: { id: string; email?: string; flags?: Notification[] }[]): Y.Doc {
	const doc = new Y.Doc();
	docs.set(name, doc);
	edit(name, AUTHOR, () => {
		initCustomer(doc, { kind: 'company', authorId: AUTHOR, now, fields: { companyName: `Co ${name}` } });
		for (const c of contacts) {
			addContact(doc, {
				id: c.id,
				fields: {
					firstName: c.id,
					lastName: 'X',
					email: c.email ?? `${c.id}@example.com`,
					...Object.fromEntries((c.flags ?? []).map((f) => [notificationKey(f), true]))
				},
				authorId: AUTHOR,
				now
			});
		}
	});
	return doc;
}

const outbox = (kind?: string) =>
	db
		.prepare(
			`SELECT kind, contact_id, to_email, payload FROM outbox WHERE kind <> 'welcome' ${kind ? 'AND kind = ?' : ''} ORDER BY id`
		)
		.all(...(kind ? [kind] : [])) as { kind: string; contact_id: string | null; to_email: string; payload: string }[];

describe('numbering', () => {
	it('numbers each kind in its own sequence when first stored, writes it back, never twice', () => {
		const doc = customer('c1', []);
		edit('c1', AUTHOR, () => {
			createSale(doc, { id: 's1', kind: 'invoice', authorId: AUTHOR, now });
			createSale(doc, { id: 's2', kind: 'invoice', authorId: AUTHOR, now });
			createSale(doc, { id: 's3', kind: 'estimate', authorId: AUTHOR, now });
		});
		expect(readSale(doc, 's1')?.displayNumber).toBe('INV-000001');
		expect(readSale(doc, 's2')?.displayNumber).toBe('INV-000002');
		expect(readSale(doc, 's3')?.displayNumber).toBe('EST-000001');
		edit('c1', AUTHOR, () => updateRecord(doc, DOC.sales, 's1', { subject: 'Again' }, AUTHOR, now));
		trashRecord(doc, DOC.sales, 's2', AUTHOR, now);
		const other = customer('c2', []);
		edit('c2', AUTHOR, () => createSale(other, { id: 's4', kind: 'invoice', authorId: AUTHOR, now }));
		expect(readSale(other, 's4')?.number).toBe(3);
		expect(db.prepare('SELECT count(*) FROM sales WHERE number IS NOT doc_number').pluck().get()).toBe(0);
	});

	it('a number the document lacks after a crash is written by the sweep', () => {
		const doc = customer('c1', []);
		modules.attach({
			afterCommit: () => {},
			change: (name, fn) => edit(name, null, () => fn(docs.get(name)!)),
			mailQueued: () => {}
		});
		edit('c1', AUTHOR, () => createSale(doc, { id: 's1', kind: 'proposal', authorId: AUTHOR, now }));
		expect(readSale(doc, 's1')?.number).toBeUndefined();
		modules.sweep();
		expect(readSale(doc, 's1')?.displayNumber).toBe('PRO-000001');
	});

	it('totals come from the lines, computed by totals.ts', () => {
		const doc = customer('c1', []);
		edit('c1', AUTHOR, () => {
			createSale(doc, { id: 's1', kind: 'invoice', authorId: AUTHOR, now });
			addSaleLine(doc, {
				id: 'l1',
				saleId: 's1',
				authorId: AUTHOR,
				now,
				fields: { quantity: 1.5, unitPrice: 1999, taxRate: 19 }
			});
			addSaleLine(doc, {
				id: 'l2',
				saleId: 's1',
				authorId: AUTHOR,
				now,
				fields: { quantity: 2, unitPrice: 500, taxRate: 7 }
			});
		});
		const row = db.prepare('SELECT subtotal, tax, total FROM sales WHERE id = ?').get('s1');
		const t = readSale(doc, 's1')!.totals;
		expect(row).toEqual({ subtotal: t.subtotal, tax: t.tax, total: t.total });
		edit('c1', AUTHOR, () => moduleMap(doc, DOC.salesLines).delete('l2'));
		expect(db.prepare('SELECT total FROM sales WHERE id = ?').pluck().get('s1')).toBe(
			readSale(doc, 's1')!.totals.total
		);
	});
});

describe('[§3.2] send requests', () => {
	it('mail exactly the chosen live contacts of this customer, once; a forged id gets nothing', () => {
		customer('other', [{ id: 'stranger' }]);
		const doc = customer('c1', [{ id: 'a', flags: ['invoice'] }, { id: 'b' }, { id: 'c', flags: ['invoice'] }]);
		edit('c1', AUTHOR, () =>
			createSale(doc, { id: 's1', kind: 'invoice', authorId: AUTHOR, now, fields: { dueDate: '2026-12-31' } })
		);
		edit('c1', AUTHOR, () =>
			requestSend(doc, {
				id: 'send1',
				target: DOC.sales,
				recordId: 's1',
				recipients: ['a', 'b', 'stranger', 'nobody'],
				authorId: AUTHOR,
				now
			})
		);
		expect(outbox().map((r) => r.contact_id)).toEqual(['a', 'b']);
		expect(JSON.parse(outbox()[0].payload)).toMatchObject({
			documentName: 'INV-000001',
			documentPath: '/portal/invoices/s1'
		});
		expect(db.prepare('SELECT refused FROM sends WHERE id = ?').pluck().get('send1')).toBe('stranger nobody');
		// Re-projected as a whole (a restart's reload, a replay): decided already.
		db.transaction(() => modules.project('c1', doc, null, 'all'))();
		expect(outbox()).toHaveLength(2);
	});
});

describe('[§3.1][§3.3] notifications', () => {
	it('five contacts, one with the project and task flags: only that one gets project and task mail', () => {
		const doc = customer('c1', [
			{ id: 'k1' },
			{ id: 'k2' },
			{ id: 'k3', flags: ['project', 'task'] },
			{ id: 'k4' },
			{ id: 'k5' }
		]);
		edit('c1', AUTHOR, () =>
			createRecord(doc, DOC.projects, {
				id: 'p1',
				authorId: AUTHOR,
				now,
				fields: { name: 'Roof', status: 'notStarted', tasksVisible: true }
			})
		);
		edit('c1', AUTHOR, () =>
			createRecord(doc, DOC.tasks, {
				id: 't1',
				authorId: AUTHOR,
				now,
				fields: { projectId: 'p1', name: 'Tiles', status: 'notStarted' }
			})
		);
		edit('c1', AUTHOR, () => updateRecord(doc, DOC.tasks, 't1', { name: 'Red tiles' }, AUTHOR, now)); // not news
		now += 1;
		edit('c1', AUTHOR, () => updateRecord(doc, DOC.tasks, 't1', { status: 'complete' }, AUTHOR, now));
		edit('c1', AUTHOR, () => updateRecord(doc, DOC.projects, 'p1', { status: 'inProgress' }, AUTHOR, now));
		expect(outbox().map((r) => `${r.kind}:${r.contact_id}`)).toEqual([
			'project:k3',
			'task:k3',
			'task:k3',
			'project:k3'
		]);
	});

	it('with the flag on nobody, nothing is sent, also with a single contact; hidden tasks send nothing', () => {
		const doc = customer('c1', [{ id: 'only' }]);
		edit('c1', AUTHOR, () =>
			createRecord(doc, DOC.projects, { id: 'p1', authorId: AUTHOR, now, fields: { name: 'Roof' } })
		);
		edit('c1', AUTHOR, () =>
			createRecord(doc, DOC.tickets, { id: 't1', authorId: AUTHOR, now, fields: { subject: 'Leak', status: 'open' } })
		);
		edit('c1', AUTHOR, () =>
			createRecord(doc, DOC.ticketReplies, {
				id: 'r1',
				authorId: AUTHOR,
				now,
				fields: { ticketId: 't1', body: 'On it' }
			})
		);
		expect(outbox()).toEqual([]);
		edit('c1', AUTHOR, () => updateContact(doc, 'only', { [notificationKey('task')]: true }, AUTHOR, now));
		edit('c1', AUTHOR, () =>
			createRecord(doc, DOC.tasks, { id: 'x1', authorId: AUTHOR, now, fields: { projectId: 'p1', name: 'Hidden' } })
		);
		expect(outbox()).toEqual([]);
	});

	it('tickets: a staff reply mails flagged contacts; a contact reply mails the managers', () => {
		const doc = customer('c1', [{ id: 'a', flags: ['tickets'] }, { id: 'b' }]);
		edit('c1', AUTHOR, () =>
			createRecord(doc, DOC.tickets, { id: 't1', authorId: AUTHOR, now, fields: { subject: 'Leak', status: 'open' } })
		);
		edit('c1', AUTHOR, () =>
			createRecord(doc, DOC.ticketReplies, {
				id: 'r1',
				authorId: AUTHOR,
				now,
				fields: { ticketId: 't1', body: 'On it' }
			})
		);
		expect(outbox().map((r) => `${r.kind}:${r.contact_id}`)).toEqual(['ticket:a']);
		expect(JSON.parse(outbox()[0].payload)).toMatchObject({ message: 'On it', documentPath: '/portal/support/t1' });
		// The portal's server change: a reply by contact b.
		edit('c1', null, () => {
			const m = new Y.Map<FieldValue>();
			for (const [k, v] of Object.entries({ ticketId: 't1', body: 'Still leaking', byContact: 'b', createdAt: now }))
				m.set(k, v);
			moduleMap(doc, DOC.ticketReplies).set('r2', m);
		});
		expect(outbox('ticket_staff')).toEqual([
			expect.objectContaining({ to_email: 'staff@staff.test', contact_id: null })
		]);
		now += 1;
		edit('c1', AUTHOR, () => updateRecord(doc, DOC.tickets, 't1', { status: 'closed' }, AUTHOR, now));
		expect(outbox('ticket').map((r) => r.contact_id)).toEqual(['a', 'a']);
	});

	it("a contact's ticket on a customer no active staff manages reaches the admins", () => {
		db.prepare(
			`INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at)
			 VALUES ('u-admin', 'boss@staff.test', 'Ada', 'admin', 'x', 1, 1)`
		).run();
		const doc = customer('c1', [{ id: 'a' }]);
		db.prepare(`UPDATE users SET active = 0 WHERE id = 'u-staff'`).run(); // the only manager left
		edit('c1', null, () => {
			const m = new Y.Map<FieldValue>();
			for (const [k, v] of Object.entries({ subject: 'Leak', status: 'open', openedByContact: 'a', createdAt: now }))
				m.set(k, v);
			moduleMap(doc, DOC.tickets).set('t1', m);
		});
		expect(outbox('ticket_staff').map((r) => r.to_email)).toEqual(['boss@staff.test']);
	});

	it('an overdue invoice is mailed once to contacts with the invoice flag, and marked in the document', () => {
		const doc = customer('c1', [{ id: 'a', flags: ['invoice'] }, { id: 'b' }]);
		edit('c1', AUTHOR, () =>
			createSale(doc, {
				id: 's1',
				kind: 'invoice',
				authorId: AUTHOR,
				now,
				fields: { status: 'sent', dueDate: '2026-12-06' }
			})
		);
		edit('c1', AUTHOR, () =>
			createSale(doc, {
				id: 's2',
				kind: 'invoice',
				authorId: AUTHOR,
				now,
				fields: { status: 'sent', dueDate: '2026-12-07' }
			})
		);
		modules.sweep();
		modules.sweep();
		expect(outbox('invoice_overdue').map((r) => r.contact_id)).toEqual(['a']);
		expect(readSale(doc, 's1')?.overdueNotifiedAt).toBe(now);
		expect(readSale(doc, 's2')?.overdueNotifiedAt).toBeUndefined();
	});
});
