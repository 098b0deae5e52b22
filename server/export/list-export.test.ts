import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canRead, toAccess, type StaffRef } from '../../src/lib/schema/access.ts';
import { parseExportQuery, type ExportQuery } from '../../src/lib/schema/export-query.ts';
import { openDatabase, type Db } from '../db.ts';
import { exportList } from './list-export.ts';

let dir: string;
let db: Db;
const ALICE: StaffRef = { id: 'alice', role: 'staff' };
const BOB: StaffRef = { id: 'bob', role: 'staff' };
const ADMIN: StaffRef = { id: 'root', role: 'admin' };

function customer(
	id: string,
	f: {
		kind?: string;
		name?: string;
		access?: string;
		managers?: string[];
		city?: string;
		country?: string;
		phone?: string;
		type?: string;
		updated?: number;
		deleted?: boolean;
	}
) {
	db.prepare(
		`INSERT INTO customers (id, kind, company_name, access, city, country, phone, contact_type_id, updated_at, deleted_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	).run(
		id,
		f.kind ?? 'company',
		f.name ?? null,
		f.access ?? 'private',
		f.city ?? null,
		f.country ?? null,
		f.phone ?? null,
		f.type ?? null,
		f.updated ?? 0,
		f.deleted ? 1 : null
	);
	for (const m of f.managers ?? [])
		db.prepare('INSERT INTO customer_managers (customer_id, user_id) VALUES (?, ?)').run(id, m);
}
function contact(
	id: string,
	customerId: string,
	first: string,
	last: string,
	extra: { email?: string; phone?: string; position?: string } = {}
) {
	db.prepare(
		`INSERT INTO contacts (id, customer_id, first_name, last_name, email, phone, position, is_primary) VALUES (?, ?, ?, ?, ?, ?, ?, 0)`
	).run(id, customerId, first, last, extra.email ?? null, extra.phone ?? null, extra.position ?? null);
}

const readable = (user: StaffRef) => (customerId: string) => {
	const row = db.prepare('SELECT access FROM customers WHERE id = ?').get(customerId) as { access: string } | undefined;
	const managers = db
		.prepare('SELECT user_id FROM customer_managers WHERE customer_id = ?')
		.pluck()
		.all(customerId) as string[];
	return row ? canRead(user, { access: toAccess(row.access), managers: new Set(managers) }) : false;
};

function query(s = ''): ExportQuery {
	const q = parseExportQuery(new URLSearchParams(s));
	if (!q.ok) throw new Error(q.param);
	return q.value;
}
const csv = (user: StaffRef, s = '', list: 'contacts' | 'companies' = 'contacts') =>
	exportList(db, user, readable(user), { list, format: 'csv' }, query(s), new Date('2026-12-07T10:00:00Z'));
const lines = (body: string) =>
	body
		.replace(/^\uFEFF/, '')
		.trimEnd()
		.split('\r\n');

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-export-'));
	db = openDatabase(path.join(dir, 'fieldbook.db'));
	customer('c-acme', {
		name: 'Acme GmbH',
		access: 'public-read',
		managers: ['alice'],
		city: 'Köln',
		country: 'Deutschland',
		updated: 5
	});
	contact('p-ada', 'c-acme', 'Ada', 'Lovelace', { email: 'ada@acme.example', phone: '08141 123', position: '=CEO()' });
	customer('c-secret', { name: 'Secret AG', access: 'private', managers: ['alice'], updated: 9 });
	contact('p-zoe', 'c-secret', 'Zoë', 'Łukasiewicz', { email: 'zoe@secret.example' });
	customer('c-gone', { name: 'Gone KG', access: 'public-write', deleted: true });
	contact('p-gone', 'c-gone', 'Gone', 'Person');
	customer('c-solo', {
		kind: 'person',
		access: 'public-write',
		managers: ['bob'],
		phone: '+49 30 1234567',
		type: 'vip',
		updated: 7
	});
	contact('p-solo', 'c-solo', 'Bea', 'Solo');
});

afterEach(() => {
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

describe('list export', () => {
	it('[§6] only records the user may read; nothing from the trash', () => {
		expect(lines(csv(BOB).body)).toEqual([
			'First Name,Last Name,Position,Company,E-mail,Phone,City,Country',
			"Ada,Lovelace,'=CEO(),Acme GmbH,ada@acme.example,08141 123,Köln,Germany",
			// An individual customer's phone stands in for the contact's; a leading + is neutralised.
			"Bea,Solo,,,,'+49 30 1234567,,"
		]);
		expect(lines(csv(ALICE).body).map((l) => l.split(',')[0])).toEqual(['First Name', 'Ada', 'Bea', 'Zoë']);
		expect(csv(ADMIN).count).toBe(3);
	});

	it('the filters of the page: search (folded letters, phone either way), type, mine, sort', () => {
		expect(csv(ALICE, 'q=lukasiewicz').count).toBe(1);
		expect(csv(ALICE, 'q=%2B49%208141%20123').count).toBe(1); // "+49 8141 123" finds "08141 123" in Germany
		expect(csv(ALICE, 'q=ada%20acme').count).toBe(1);
		expect(csv(ALICE, 'q=ada%20nobody').count).toBe(0);
		expect(csv(ALICE, 'type=vip').count).toBe(1);
		expect(csv(ALICE, 'type=not-specified').count).toBe(2);
		expect(csv(ALICE, 'manager=mine').count).toBe(2);
		expect(
			lines(csv(ALICE, 'sort=name-desc').body)
				.slice(1)
				.map((l) => l.split(',')[0])
		).toEqual(['Zoë', 'Bea', 'Ada']);
		expect(
			lines(csv(ALICE, 'sort=updated').body)
				.slice(1)
				.map((l) => l.split(',')[0])
		).toEqual(['Zoë', 'Bea', 'Ada']);
	});

	it('companies as CSV with ";" and as vCard KIND:org', () => {
		const file = csv(ALICE, 'delimiter=semicolon', 'companies');
		expect(file.filename).toBe('companies-2026-12-07.csv');
		expect(lines(file.body)).toEqual([
			'Company;E-mail;Phone;City;Country;Contacts',
			'Acme GmbH;;;Köln;Germany;1',
			'Secret AG;;;;;1'
		]);
		const vcf = exportList(db, BOB, readable(BOB), { list: 'companies', format: 'vcf' }, query());
		expect(vcf.contentType).toBe('text/vcard; charset=utf-8');
		expect(vcf.body.match(/KIND:org/g)).toHaveLength(1);
		expect(vcf.body).toContain('FN:Acme GmbH');
	});

	it('contacts as vCard carry a stable UID and E.164 phones', () => {
		const vcf = exportList(db, BOB, readable(BOB), { list: 'contacts', format: 'vcf' }, query('q=ada'));
		expect(vcf.body).toContain('UID:urn:fieldbook:contact:p-ada');
		expect(vcf.body).toContain('TEL;VALUE=uri;PREF=1:tel:+498141123');
		expect(vcf.body).toContain('TITLE:=CEO()'); // vCard is no spreadsheet: the text as it is
	});

	it("countries by name in the exporting user's language; free text as written", () => {
		db.prepare(`UPDATE customers SET country = 'PL' WHERE id = 'c-acme'`).run();
		const file = (format: 'csv' | 'vcf', language?: string) =>
			exportList(db, BOB, readable(BOB), { list: 'companies', format, language }, query()).body;
		expect(lines(file('csv', 'de'))[1]).toBe('Acme GmbH,,,Köln,Polen,1');
		expect(lines(file('csv', 'fr'))[1]).toBe('Acme GmbH,,,Köln,Pologne,1');
		expect(lines(file('csv'))[1]).toBe('Acme GmbH,,,Köln,Poland,1');
		expect(file('vcf', 'pl')).toContain('ADR:;;;Köln;;;Polska\r\n');
		db.prepare(`UPDATE customers SET country = 'Bavaria-Land' WHERE id = 'c-acme'`).run();
		expect(lines(file('csv', 'de'))[1]).toBe('Acme GmbH,,,Köln,Bavaria-Land,1');
		expect(file('vcf', 'de')).toContain('ADR:;;;Köln;;;Bavaria-Land\r\n');
	});
});
