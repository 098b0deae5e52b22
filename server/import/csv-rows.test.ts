/**
 * Each product's export, from tests/fixtures/import, read the whole way: encoding, delimiter,
 * layout, and the fields every row ends up with — what a user checks in the preview.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ImportDraft } from '../../src/lib/schema/import-fields.ts';
import { readCsvImport } from './csv-rows.ts';
import type { RowResult } from './row-draft.ts';

const fixture = (name: string) => fs.createReadStream(new URL(`../../tests/fixtures/import/${name}`, import.meta.url));

async function read(name: string) {
	const file = await readCsvImport(fixture(name));
	const rows: RowResult[] = [];
	for await (const r of file.rows) rows.push(r);
	const drafts = rows.filter((r) => r.kind === 'draft');
	const refused = rows.filter((r) => r.kind === 'refused').map((r) => ({ line: r.line, reason: r.reason }));
	const draft = (last: string): ImportDraft => {
		const d = drafts.find((r) => r.draft.lastName === last || r.draft.company === last);
		if (!d) throw new Error(`no draft ${last}`);
		return d.draft;
	};
	const warningsOf = (last: string) => drafts.find((r) => r.draft.lastName === last)?.warnings.map((w) => w.code);
	return { file, rows, drafts, refused, draft, warningsOf };
}

describe('reading a large file', () => {
	it('lets timers and sockets run while it parses (the event loop is never held)', async () => {
		const rows = 'First Name,Last Name,Email\n' + 'Ana,Silva,ana@example.com\n'.repeat(5000);
		const file = await readCsvImport(Readable.from([Buffer.from(rows)]));
		let ticked = false;
		setTimeout(() => (ticked = true), 0);
		let n = 0;
		let tickedAt = -1;
		for await (const r of file.rows) {
			n += r.kind === 'draft' ? 1 : 0;
			if (ticked && tickedAt === -1) tickedAt = n;
		}
		expect(n).toBe(5000);
		expect(tickedAt).toBeGreaterThan(0);
		expect(tickedAt).toBeLessThan(5000);
	});
});

describe('known layouts, imported whole', () => {
	it('Google Contacts (current form): labels, " ::: " lists, year-less birthday, company-only row', async () => {
		const { file, draft, refused, warningsOf } = await read('google-contacts.csv');
		expect(file.mapping.layout).toBe('google');
		expect(file.decoding.encoding).toBe('utf-8');
		const j = draft('Weiß');
		expect(j).toMatchObject({
			namePrefix: 'Dr.',
			firstName: 'Jürgen',
			company: 'Brauerei Weiß GmbH',
			position: 'Geschäftsführer',
			department: 'Vertrieb',
			birthday: { year: 1971, month: 3, day: 9 },
			notes: 'Met at the fair in Köln.\nPrefers calls before 10.',
			tags: ['Kunden', 'Messe 2026'],
			address: {
				street: 'Hauptstraße 5',
				city: 'Fürstenfeldbruck',
				state: 'Bayern',
				postalCode: '82256',
				country: 'Deutschland'
			},
			websites: [{ value: 'https://brauerei-weiss.example', label: 'work' }]
		});
		expect(j.emails).toEqual([
			{ value: 'juergen.weiss@brauerei-weiss.example', label: 'work' },
			{ value: 'jw@mail.example', label: 'home' }
		]);
		// The national number gets its E.164 from the address's country; the extension is kept.
		expect(j.phones).toEqual([
			{ value: '+49 171 2345678', label: 'mobile', e164: '+491712345678', ext: null },
			{ value: '08141 123 456 ext. 12', label: 'work', e164: '+498141123456', ext: '12' }
		]);
		const m = draft('Lefèvre');
		expect(m.birthday).toEqual({ year: null, month: 4, day: 15 });
		expect(m.emails.map((e) => e.value)).toEqual(['maelle.lefevre@mail.example', 'm.lefevre@work.example']);
		expect(m.tags).toEqual([]);
		expect(draft('Wiśniewski').notes).toBe('=HYPERLINK("http://evil.example","click")');
		expect(warningsOf('Wiśniewski')).toEqual(['formula']);
		expect(draft('Café Zur Linde').kind).toBe('company');
		// The first row spans lines 2-5 (line breaks in its notes and formatted address).
		expect(refused).toEqual([
			{ line: 8, reason: 'bad_email' },
			{ line: 9, reason: 'empty' }
		]);
	});

	it('Google Contacts (old form): Given/Family Name, "Name" split when alone', async () => {
		const { file, draft, refused } = await read('google-contacts-legacy.csv');
		expect(file.mapping.layout).toBe('google-legacy');
		expect(draft('Łukasiewicz')).toMatchObject({
			firstName: 'Zoë',
			company: 'Łukasiewicz Sp. z o.o.',
			position: 'Prezes',
			tags: ['Dostawcy'],
			address: { city: 'Łódź', postalCode: '90-001', country: 'Polska' },
			phones: [{ value: '+48 601 234 567', label: 'mobile', e164: '+48601234567', ext: null }]
		});
		expect(draft('Silva')).toMatchObject({
			firstName: 'João',
			emails: [{ value: 'joao.silva@mail.example', label: 'home' }]
		});
		// A one-word name is a last name: the row imports.
		expect(draft('no-name-only-mail').firstName).toBe('');
		expect(refused).toEqual([]);
	});

	it('Outlook (Windows-1252): "Title" is the honorific, "Job Title" the position; business address first', async () => {
		const { file, draft, refused, warningsOf } = await read('outlook.csv');
		expect(file.mapping.layout).toBe('outlook');
		expect(file.decoding.encoding).toBe('windows-1252');
		const h = draft('Dupré');
		expect(h).toMatchObject({
			namePrefix: 'Mme',
			firstName: 'Hélène',
			position: 'Directrice commerciale',
			company: 'Dupré & Fils SARL',
			department: 'Ventes',
			birthday: { year: 1978, month: 4, day: 15 },
			notes: 'Ordered 2× in 2025 – “VIP”',
			tags: ['Kunden', 'VIP'],
			address: { street: '12, rue de la Paix\nBâtiment B', city: 'Paris', postalCode: '75002', country: 'France' }
		});
		expect(h.phones).toEqual([
			{ value: '06 12 34 56 78', label: 'mobile', e164: '+33612345678', ext: null },
			{ value: '+33 1 42 68 53 00', label: 'work', e164: '+33142685300', ext: null }
		]);
		const k = draft('Müller');
		expect(k).toMatchObject({ namePrefix: 'Dr.', position: 'Einkauf', birthday: null, address: { city: 'München' } });
		expect(k.emails.map((e) => e.value)).toEqual(['k.mueller@mueller-mb.example', 'klaus.mueller@privat.example']);
		expect(warningsOf('Formula')).toEqual(['formula']);
		expect(draft('Formula').company).toBe('-2+3');
		expect(refused).toEqual([{ line: 4, reason: 'bad_email' }]);
	});

	it('Excel in a German locale: ";", Windows-1252, German headers, an empty row, too many columns', async () => {
		const { file, draft, refused, warningsOf } = await read('excel-de.csv');
		expect(file.mapping.layout).toBe('excel-de');
		expect(file.delimiter).toBe(';');
		expect(file.decoding.encoding).toBe('windows-1252');
		expect(draft('Größer')).toMatchObject({
			namePrefix: 'Frau Dr.',
			firstName: 'Renée',
			company: 'Größer & Söhne KG',
			position: 'Prokuristin',
			birthday: { year: 1969, month: 2, day: 3 },
			notes: 'Rückruf erbeten;\nam liebsten vormittags',
			address: { street: 'Königsallee 12', postalCode: '40212', city: 'Düsseldorf', country: 'Deutschland' },
			phones: [
				{ value: '08141 123 456', label: 'work', e164: '+498141123456', ext: null },
				{ value: '0171 9876543', label: 'mobile', e164: '+491719876543', ext: null }
			]
		});
		const j = draft('Öztürk');
		expect(j.birthday).toEqual({ year: null, month: 12, day: 24 });
		expect(j.phones[0].value).toBe('=1+1');
		expect(warningsOf('Öztürk')).toEqual(['formula']);
		expect(refused).toEqual([
			{ line: 4, reason: 'empty' },
			{ line: 6, reason: 'bad_email' },
			{ line: 7, reason: 'no_name' },
			{ line: 8, reason: 'too_many_columns' }
		]);
	});

	it('Salesforce report export: "Title" is the position, "Salutation" the honorific', async () => {
		const { file, draft, refused, warningsOf } = await read('salesforce-contacts.csv');
		expect(file.mapping.layout).toBe('salesforce');
		expect(draft("O'Brien")).toMatchObject({
			namePrefix: 'Ms.',
			firstName: 'Siobhán',
			position: 'VP Procurement',
			company: 'Acme Ireland Ltd',
			externalId: '0035g00000AbCdEAAV',
			address: { street: '1 Grand Canal Square\nDocklands', city: 'Dublin', country: 'Ireland' },
			phones: [
				{ value: '(01) 234 5678', label: 'work', e164: '+35312345678', ext: null },
				{ value: '+353 87 123 4567', label: 'mobile', e164: '+353871234567', ext: null }
			]
		});
		expect(warningsOf('Bérard')).toEqual(['formula']);
		expect(refused).toEqual([{ line: 5, reason: 'no_name' }]); // row 1's street spans two lines
	});

	it('Salesforce Data Loader: API names; IsDeleted rows are refused as deleted in the source', async () => {
		const { file, draft, refused } = await read('salesforce-dataloader.csv');
		expect(file.mapping.layout).toBe('salesforce');
		expect(draft('Nowak')).toMatchObject({
			firstName: 'Agnieszka',
			position: 'Kierownik',
			externalId: '0035g00000XyZaBAAV'
		});
		expect(draft('Nowak').phones[0].e164).toBe('+48123456789');
		expect(refused).toEqual([{ line: 3, reason: 'deleted_in_source' }]);
	});

	it('Perfex CRM contacts export', async () => {
		const { file, draft, refused, warningsOf } = await read('perfex-contacts.csv');
		expect(file.mapping.layout).toBe('perfex');
		expect(file.unmapped).toEqual([]);
		expect(draft('Conceição')).toMatchObject({ company: 'Conceição Lda', position: 'Gerente' });
		expect(warningsOf('Kowalczyk')).toEqual(['formula']);
		expect(refused).toEqual([{ line: 3, reason: 'bad_email' }]);
	});

	it('ONLYOFFICE CRM contacts export (UTF-8 with BOM): labelled columns, company-only rows', async () => {
		const { file, draft, refused } = await read('onlyoffice-contacts.csv');
		expect(file.mapping.layout).toBe('onlyoffice');
		expect(file.decoding.bom).toBe(true);
		expect(draft('Bäckström')).toMatchObject({
			company: 'Bäckström Design AB',
			position: 'Art Director',
			notes: 'Introduced by Renée.\n"Très bien"',
			tags: ['design', 'nordics'],
			emails: [{ value: 'ingrid@backstrom.example', label: 'work' }],
			address: { street: 'Drottninggatan 1', city: 'Stockholm', postalCode: '111 51', country: 'Sweden' }
		});
		expect(draft('Bäckström').phones.map((p) => [p.label, p.e164])).toEqual([
			['work', '+46812345678'],
			['mobile', '+46701234567']
		]);
		expect(draft('Nordlicht GmbH')).toMatchObject({ kind: 'company', phones: [{ e164: '+49401234567' }] });
		expect(refused).toEqual([{ line: 5, reason: 'bad_email' }]);
	});
});
