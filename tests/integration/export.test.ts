/**
 * [§4][§6][§8] The list export on the real server (issue #13 item 5): only records the
 * signed-in user may read, the list's filters, files a spreadsheet cannot run, and clear
 * refusals — no session is a 401, garbage parameters a 400, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addContact, initCustomer } from '../../src/lib/schema/customer-doc.ts';
import type { Access } from '../../src/lib/schema/records.ts';
import { FeedMsg } from '../../src/lib/schema/protocol.ts';
import { FeedClient } from './helpers/feed.ts';
import { Client } from './helpers/http.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { staffUser } from './helpers/staff.ts';
import { until } from './helpers/sync.ts';

let server: TestServer;
let admin: Client;
let alice: Client;
let bob: Client;

/** A company with contacts, created by `client` as a device would (pushed over the feed). */
async function company(
	client: Client,
	name: string,
	companyName: string,
	access: Access,
	contacts: { firstName: string; lastName: string; email?: string; phone?: string; position?: string }[]
): Promise<void> {
	const authorId = await client.userId();
	const doc = new Y.Doc();
	initCustomer(doc, { kind: 'company', authorId, now: Date.now(), fields: { companyName, country: 'Deutschland' } });
	doc.getMap('customer').set('access', access);
	contacts.forEach((fields, i) => addContact(doc, { id: `${name}-c${i}`, fields, authorId, now: Date.now() }));
	const feed = await FeedClient.open(server, client);
	try {
		feed.send({ type: FeedMsg.push, doc: name, update: Y.encodeStateAsUpdate(doc) });
		await until(() => feed.of(FeedMsg.ack).length + feed.of(FeedMsg.refused).length > 0, 5000, 'creation');
		expect(feed.of(FeedMsg.refused)).toEqual([]);
	} finally {
		feed.close();
		doc.destroy();
	}
}

const text = (res: Response) => res.text();

beforeAll(async () => {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000' });
	admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	alice = await staffUser(server, admin, 'alice@example.com');
	bob = await staffUser(server, admin, 'bob@example.com');
	await company(alice, 'exp-acme', 'Acme GmbH', 'public-read', [
		{
			firstName: 'Ada',
			lastName: 'Lovelace',
			email: 'ada@acme.example',
			phone: '08141 123',
			position: '=HYPERLINK("x")'
		},
		{ firstName: 'Jürgen', lastName: 'Weiß', email: 'jw@acme.example' }
	]);
	await company(alice, 'exp-secret', 'Secret AG', 'private', [{ firstName: 'Zoë', lastName: 'Łukasiewicz' }]);
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
