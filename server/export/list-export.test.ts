import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canRead, toAccess, type StaffRef } from '../../src/lib/schema/access.ts';
import { valueFields } from '../../src/lib/schema/contact-values.ts';
import { parseExportQuery, type ExportQuery } from '../../src/lib/schema/export-query.ts';
import { detailsOf } from '../../src/lib/schema/record-details.ts';
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
/** The cells of a line, quoted cells unquoted (no line breaks in these tests). */
function split(line: string): string[] {
	const out: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < line.length; i++) {
		const ch = line[i];
		if (quoted && ch === '"' && line[i + 1] === '"') {
			cell += '"';
			i++;
		} else if (ch === '"') quoted = !quoted;
		else if (ch === ',' && !quoted) {
			out.push(cell);
			cell = '';
		} else cell += ch;
	}
	return [...out, cell];
}
const cells = (body: string, header: string) => {
	const [head, ...rows] = lines(body).map(split);
	const i = head.indexOf(header);
	if (i < 0) throw new Error(`no column ${header}`);
	return rows.map((r) => r[i]);
};

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
			'Name Prefix,First Name,Middle Name,Last Name,Position,Department,Company,E-mail,E-mail Label,' +
				'Phone,Phone Label,Phone E.164,Street,City,State,Postal Code,Country,Birthday,Tags,Notes,' +
				'Favourite,Do Not E-mail,Do Not Call',
			",Ada,,Lovelace,'=CEO(),,Acme GmbH,ada@acme.example,,08141 123,,+498141123,,Köln,,,Germany,,,,,,",
			// An individual customer's phone stands in for the contact's; a leading + is neutralised.
			",Bea,,Solo,,,,,,'+49 30 1234567,,+49301234567,,,,,,,,,,,"
		]);
		expect(cells(csv(ALICE).body, 'First Name')).toEqual(['Ada', 'Bea', 'Zoë']);
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
		expect(cells(csv(ALICE, 'sort=name-desc').body, 'First Name')).toEqual(['Zoë', 'Bea', 'Ada']);
		expect(cells(csv(ALICE, 'sort=updated').body, 'First Name')).toEqual(['Zoë', 'Bea', 'Ada']);
	});

	it('companies as CSV with ";" and as vCard KIND:org', () => {
		const file = csv(ALICE, 'delimiter=semicolon', 'companies');
		expect(file.filename).toBe('companies-2026-12-07.csv');
		expect(lines(file.body)).toEqual([
			'Company;E-mail;E-mail Label;Phone;Phone Label;Phone E.164;Street;City;State;Postal Code;Country;Contacts',
			'Acme GmbH;;;;;;;Köln;;;Germany;1',
			'Secret AG;;;;;;;;;;;1'
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

	it("a phone of a record without a country reads in the workspace's region the caller gives", () => {
		contact('p-lost', 'c-secret', 'Lou', 'Lost', { phone: '030 1234567' });
		const e164 = (region?: 'DE' | 'AT') =>
			cells(
				exportList(db, ALICE, readable(ALICE), { list: 'contacts', format: 'csv', region }, query('q=lost')).body,
				'Phone E.164'
			);
		expect(e164()).toEqual(['']);
		expect(e164('DE')).toEqual(['+49301234567']);
		expect(e164('AT')).toEqual(['+43301234567']);
	});

	it("countries by name in the exporting user's language; free text as written", () => {
		db.prepare(`UPDATE customers SET country = 'PL' WHERE id = 'c-acme'`).run();
		const file = (format: 'csv' | 'vcf', language?: string) =>
			exportList(db, BOB, readable(BOB), { list: 'companies', format, language }, query()).body;
		expect(lines(file('csv', 'de'))[1]).toBe('Acme GmbH,,,,,,,Köln,,,Polen,1');
		expect(lines(file('csv', 'fr'))[1]).toBe('Acme GmbH,,,,,,,Köln,,,Pologne,1');
		expect(lines(file('csv'))[1]).toBe('Acme GmbH,,,,,,,Köln,,,Poland,1');
		expect(file('vcf', 'pl')).toContain('ADR:;;;Köln;;;Polska\r\n');
		db.prepare(`UPDATE customers SET country = 'Bavaria-Land' WHERE id = 'c-acme'`).run();
		expect(lines(file('csv', 'de'))[1]).toBe('Acme GmbH,,,,,,,Köln,,,Bavaria-Land,1');
		expect(file('vcf', 'de')).toContain('ADR:;;;Köln;;;Bavaria-Land\r\n');
	});

	it('[13.2] every labelled e-mail and phone, name parts, birthday, tags, notes, flags and the address', () => {
		const details = detailsOf({
			...valueFields('email', [
				{ value: 'ada@acme.example', label: 'work' },
				{ value: 'ada@home.example', label: 'home' }
			]),
			...valueFields('phone', [
				{ value: '08141 123 ext. 7', label: 'work' },
				{ value: '0171 555 666', label: 'mobile' }
			]),
			namePrefix: 'Dr.',
			middleName: 'King',
			department: 'Research',
			birthday: '--12-10',
			tags: 'VIP; Math',
			notes: 'Prefers letters.',
			doNotEmail: true,
			street: 'St James 12',
			city: 'London',
			postalCode: 'SW1',
			country: 'GB'
		});
		db.prepare('UPDATE contacts SET details = ? WHERE id = ?').run(JSON.stringify(details), 'p-ada');
		const body = csv(BOB, 'q=ada').body;
		const col = (h: string) => cells(body, h)[0];
		expect([col('Name Prefix'), col('Middle Name'), col('Department')]).toEqual(['Dr.', 'King', 'Research']);
		expect([col('E-mail'), col('E-mail Label'), col('E-mail 2'), col('E-mail 2 Label')]).toEqual([
			'ada@acme.example',
			'work',
			'ada@home.example',
			'home'
		]);
		// The contact's own address (in the UK) reads its national numbers.
		expect([col('Phone 2'), col('Phone 2 Label'), col('Phone 2 E.164')]).toEqual([
			'0171 555 666',
			'mobile',
			'+44171555666'
		]);
		expect([col('Street'), col('City'), col('Country')]).toEqual(['St James 12', 'London', 'United Kingdom']);
		// A year-less birthday starts with "-": a spreadsheet would compute it, so it is neutralised.
		expect([col('Birthday'), col('Notes'), col('Do Not E-mail'), col('Do Not Call')]).toEqual([
			"'--12-10",
			'Prefers letters.',
			'yes',
			''
		]);
		expect(body).toContain(',"VIP, Math",');

		const vcf = exportList(db, BOB, readable(BOB), { list: 'contacts', format: 'vcf' }, query('q=ada')).body;
		expect(vcf).toContain('N:Lovelace;Ada;King;Dr.;\r\n');
		expect(vcf).toContain('ORG:Acme GmbH;Research\r\n');
		expect(vcf).toContain('EMAIL;TYPE=work;PREF=1:ada@acme.example\r\n');
		expect(vcf).toContain('EMAIL;TYPE=home:ada@home.example\r\n');
		expect(vcf).toContain('TEL;VALUE=uri;TYPE="work,voice";PREF=1:tel:+448141123;ext=7\r\n');
		expect(vcf).toContain('TEL;VALUE=uri;TYPE=cell:tel:+44171555666\r\n');
		expect(vcf).toContain('BDAY:--1210\r\n');
		expect(vcf).toContain('CATEGORIES:VIP,Math\r\n');
		expect(vcf).toContain('NOTE:Prefers letters.\r\n');
		expect(vcf).toContain('ADR:;;St James 12;London;;SW1;United Kingdom\r\n');
	});
});
