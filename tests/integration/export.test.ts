/**
 * [§4][§6][§8] The list export on the real server (issue #13 item 5): only records the
 * signed-in user may read, the list's filters, files a spreadsheet cannot run, and clear
 * refusals — no session is a 401, garbage parameters a 400, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './helpers/http.ts';
import { createCustomer } from './helpers/records.ts';
import type { TestServer } from './helpers/server.ts';
import { startWithStaff } from './helpers/staff.ts';

let server: TestServer;
let admin: Client;
let alice: Client;
let bob: Client;

const text = (res: Response) => res.text();

beforeAll(async () => {
	({ server, admin, alice, bob } = await startWithStaff());
	await createCustomer(server, alice, 'exp-acme', {
		fields: { companyName: 'Acme GmbH', country: 'Deutschland' },
		access: 'public-read',
		contacts: {
			'exp-acme-c0': {
				firstName: 'Ada',
				lastName: 'Lovelace',
				email: 'ada@acme.example',
				phone: '08141 123',
				position: '=HYPERLINK("x")'
			},
			'exp-acme-c1': { firstName: 'Jürgen', lastName: 'Weiß', email: 'jw@acme.example' }
		}
	});
	await createCustomer(server, alice, 'exp-secret', {
		fields: { companyName: 'Secret AG', country: 'Deutschland' },
		access: 'private',
		contacts: { 'exp-secret-c0': { firstName: 'Zoë', lastName: 'Łukasiewicz' } }
	});
});
afterAll(async () => {
	await server?.stop();
});

describe('GET /api/export/…', () => {
	it('[§4] a staff user gets the contacts they may read as CSV with BOM, neutralised cells', async () => {
		const res = await bob.request('/api/export/contacts.csv');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"$/);
		const bytes = new Uint8Array(await res.arrayBuffer());
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs for UTF-8
		// (Response.text() would drop it: a UTF-8 decode strips a BOM.)
		const body = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
		expect(
			body.startsWith('\uFEFFName Prefix,First Name,Middle Name,Last Name,Position,Department,Company,E-mail,')
		).toBe(true);
		expect(body).toContain(`,Ada,,Lovelace,"'=HYPERLINK(""x"")",,Acme GmbH,ada@acme.example,,08141 123,,+498141123,`);
		expect(body).toContain(',Germany,');
		expect(body).toContain('Jürgen,,Weiß,');
	});

	it("[§6] another user's private records are never exported; their manager and an admin get them", async () => {
		expect(await text(await bob.request('/api/export/contacts.csv'))).not.toContain('Łukasiewicz');
		expect(await text(await bob.request('/api/export/companies.csv'))).not.toContain('Secret AG');
		expect(await text(await bob.request('/api/export/contacts.vcf'))).not.toContain('Łukasiewicz');
		expect(await text(await bob.request('/api/export/contacts.csv?q=%C5%81ukasiewicz'))).not.toContain('Zoë');
		expect(await text(await alice.request('/api/export/contacts.csv'))).toContain('Zoë,,Łukasiewicz');
		expect(await text(await admin.request('/api/export/companies.csv'))).toContain('Secret AG');
	});

	it('honours the list filters: search (phone either way), manager, sort, delimiter', async () => {
		const lines = async (c: Client, q: string) =>
			(await text(await c.request(`/api/export/contacts.csv${q}`))).trimEnd().split('\r\n');
		expect(await lines(bob, '?q=lovelace')).toHaveLength(2);
		expect((await lines(bob, '?q=%2B49%208141%20123'))[1]).toMatch(/^,Ada,/);
		expect(await lines(bob, '?manager=mine')).toHaveLength(1); // Bob manages nothing: the header only
		expect((await lines(alice, '?sort=name-desc')).slice(1).map((l) => l.split(',')[1])).toEqual([
			'Zoë',
			'Jürgen',
			'Ada'
		]);
		expect((await lines(bob, '?delimiter=semicolon'))[0]).toMatch(
			/^Name Prefix;First Name;Middle Name;Last Name;Position;Department;Company;E-mail;/
		);
	});

	it('vCard 4.0 of contacts and companies', async () => {
		const vcf = await text(await bob.request('/api/export/contacts.vcf?q=ada'));
		expect(vcf).toMatch(/^BEGIN:VCARD\r\nVERSION:4\.0\r\n/);
		expect(vcf).toContain('TEL;VALUE=uri;PREF=1:tel:+498141123');
		const orgs = await text(await bob.request('/api/export/companies.vcf'));
		expect(orgs).toContain('KIND:org\r\nFN:Acme GmbH\r\n');
	});

	it("names countries in the user's language (the language cookie)", async () => {
		const before = bob.cookies.get('PARAGLIDE_LOCALE');
		bob.cookies.set('PARAGLIDE_LOCALE', 'fr');
		try {
			const csv = await text(await bob.request('/api/export/companies.csv'));
			expect(csv).toMatch(/^Acme GmbH,[^\r\n]*,Allemagne,/m);
			expect(await text(await bob.request('/api/export/companies.vcf'))).toContain('ADR:;;;;;;Allemagne\r\n');
		} finally {
			if (before === undefined) bob.cookies.delete('PARAGLIDE_LOCALE');
			else bob.cookies.set('PARAGLIDE_LOCALE', before);
		}
	});

	it('[§8] no session is a 401; an unknown file a 404; garbage parameters a 400, never a 500', async () => {
		const anonymous = new Client(server.url);
		expect((await anonymous.request('/api/export/contacts.csv')).status).toBe(401);
		expect((await anonymous.request('/api/export/contacts.vcf')).status).toBe(401);
		expect((await bob.request('/api/export/users.csv')).status).toBe(404);
		expect((await bob.request('/api/export/contacts.xlsx')).status).toBe(404);
		for (const q of [
			'sort=random()',
			'manager=everyone',
			'delimiter=%7C',
			'type=..%2F..',
			`q=${'x'.repeat(500)}`,
			'q=%00',
			'q=a&q=b',
			'sort[]=x&sort=y&sort=z'
		]) {
			const res = await bob.request(`/api/export/contacts.csv?${q}`);
			expect(res.status, q).toBe(400);
			expect(((await res.json()) as { error: string }).error, q).toBe('bad_query');
		}
		// Bytes that are not UTF-8 in the query string.
		expect((await bob.request('/api/export/contacts.csv?q=%FF%FE')).status).toBeLessThan(500);
	});

	it('a forged session cookie is a 401', async () => {
		const forged = new Client(server.url);
		forged.cookies.set('fieldbook_session', 'A'.repeat(40));
		expect((await forged.request('/api/export/companies.csv')).status).toBe(401);
	});
});
