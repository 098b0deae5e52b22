/**
 * At start, what the update log holds past the derived watermark is derived again
 * (derived-recovery.ts): the projection, one history row set per update with its author and
 * seq, and the mails, once. Real SQLite store, HistoryLog and projection.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addContact, initCustomer, updateCustomer } from '../../src/lib/schema/customer-doc.ts';
import { projectDocument } from '../app.ts';
import { openDatabase, type Db } from '../db.ts';
import { HistoryLog } from '../history.ts';
import { recoverDerived } from './derived-recovery.ts';
import { DerivedWatermark } from './derived-watermark.ts';
import { SqliteDocStore } from './doc-store.ts';

const CUSTOMER = '0190a3c4-0000-7000-8000-000000000001';
const ADA = 'user-ada';
const BEN = 'user-ben';

let dir: string;
let db: Db;
let store: SqliteDocStore;
let doc: Y.Doc;

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-recovery-'));
	db = openDatabase(path.join(dir, 'fieldbook.db'));
	store = new SqliteDocStore(db);
	doc = new Y.Doc();
});

afterEach(() => {
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

/** Commits one change to the log only, as an acknowledged edit whose derived rows were never written. */
function logged(user: string, fn: (d: Y.Doc) => void): number {
	const before = Y.encodeStateVector(doc);
	fn(doc);
	return store.append([{ doc: CUSTOMER, data: Y.encodeStateAsUpdate(doc, before), userId: user }])[0];
}

const recover = () => recoverDerived({ db, store, history: new HistoryLog(db), project: projectDocument(db) });
const customer = () => db.prepare('SELECT company_name, created_by FROM customers WHERE id = ?').get(CUSTOMER);
const welcomes = () => db.prepare("SELECT to_email FROM outbox WHERE kind = 'welcome'").pluck().all();
const historySeqs = () => db.prepare('SELECT DISTINCT seq, user_id FROM history ORDER BY seq').all();

function createWithContact(): number {
	return logged(ADA, (d) => {
		initCustomer(d, { kind: 'company', authorId: ADA, now: 1000, fields: { companyName: 'Acme' } });
		addContact(d, { id: 'k1', fields: { firstName: 'Ann', email: 'ann@example.com' }, authorId: ADA, now: 1000 });
	});
}

describe('deriving again what the log holds past the watermark', () => {
	it('projects, records each update by its author and seq, queues the welcome mail once, and moves the watermark', () => {
		const s1 = createWithContact();
		const s2 = logged(BEN, (d) => updateCustomer(d, { companyName: 'Acme AG' }, BEN, 2000));
		expect(customer()).toBeUndefined();

		expect(recover()).toEqual({ updates: 2, documents: 1 });
		expect(customer()).toEqual({ company_name: 'Acme AG', created_by: ADA });
		expect(db.prepare('SELECT first_name FROM contacts WHERE id = ?').pluck().get('k1')).toBe('Ann');
		expect(historySeqs()).toEqual([
			{ seq: s1, user_id: ADA },
			{ seq: s2, user_id: BEN }
		]);
		expect(welcomes()).toEqual(['ann@example.com']);
		expect(new DerivedWatermark(db).get()).toBe(s2);

		// A second start finds nothing owed: no row, no mail twice.
		expect(recover()).toEqual({ updates: 0, documents: 0 });
		expect(historySeqs()).toHaveLength(2);
		expect(welcomes()).toHaveLength(1);
	});

	it('derives only what is past the watermark: earlier updates get no second history row', () => {
		const s1 = createWithContact();
		recover();
		const s2 = logged(BEN, (d) => updateCustomer(d, { companyName: 'Acme AG' }, BEN, 2000));
		expect(recover()).toEqual({ updates: 1, documents: 1 });
		expect(historySeqs()).toEqual([
			{ seq: s1, user_id: ADA },
			{ seq: s2, user_id: BEN }
		]);
		expect(db.prepare("SELECT value FROM history WHERE seq = ? AND field = 'companyName'").pluck().get(s2)).toBe(
			'"Acme AG"'
		);
		expect(welcomes()).toHaveLength(1);
	});

	it('a document compacted past the watermark is still projected as stored', () => {
		createWithContact();
		const s2 = logged(BEN, (d) => updateCustomer(d, { companyName: 'Acme AG' }, BEN, 2000));
		store.compact(CUSTOMER, Y.encodeStateAsUpdate(doc), s2);
		const warn = console.warn;
		console.warn = () => {};
		try {
			recover();
		} finally {
			console.warn = warn;
		}
		expect(customer()).toEqual({ company_name: 'Acme AG', created_by: ADA });
		expect(welcomes()).toEqual(['ann@example.com']);
	});
});
