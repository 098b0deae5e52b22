/**
 * The workspace's default phone region (issue #13, settings.ts): set by an admin in the
 * settings document, refused to staff like every other setting (the socket is closed, nothing
 * stored), the region an import starts with when the upload names none, and the region the
 * list exports read a phone in when its record names no country — the server's current one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPhoneRegion, setPhoneRegion, workspaceMap } from '../../src/lib/schema/settings.ts';
import { Client } from './helpers/http.ts';
import { uploadFile } from './helpers/imports.ts';
import { createCustomer } from './helpers/records.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { staffUser } from './helpers/staff.ts';
import { connect, until, type SyncClient } from './helpers/sync.ts';

let server: TestServer;
let admin: Client;
let staff: Client;
const sockets: SyncClient[] = [];

beforeAll(async () => {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000' });
	admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	staff = await staffUser(server, admin, 'sam.region@example.com');
});
afterAll(async () => {
	for (const s of sockets) s.destroy();
	await server?.stop();
});

function open(c: Client): SyncClient {
	const s = connect(server, c, 'settings');
	sockets.push(s);
	return s;
}

const CSV = 'First Name,Last Name,Phone\r\nJürgen,Weiß,030 1234567\r\n';

describe('[§8] workspace default phone region', () => {
	it('an upload names no region: none until an admin sets one, then the workspace’s; a region asked for wins', async () => {
		const before = await uploadFile(admin, CSV, 'region-before.csv');
		expect(before.status).toBe(201);
		expect(before.body.region).toBeNull();

		const doc = open(admin);
		await until(() => doc.provider.synced, 5000, 'admin synced');
		setPhoneRegion(doc.doc, 'de');
		await doc.acks.whenCommitted();
		expect(readPhoneRegion(doc.doc)).toBe('DE');

		const after = await uploadFile(admin, CSV, 'region-after.csv');
		expect(after.body.region).toBe('DE');
		const asked = await uploadFile(admin, CSV, 'region-asked.csv', '&region=AT');
		expect(asked.body.region).toBe('AT');
	});

	it('a staff user’s change to it is refused like any other setting: the socket closes, nothing stored', async () => {
		const doc = open(staff);
		await until(() => readPhoneRegion(doc.doc) === 'DE', 5000, 'staff reads the region');
		let closeCode = 0;
		doc.provider.on('connection-close', (e: CloseEvent | null) => (closeCode = e?.code ?? 0));
		setPhoneRegion(doc.doc, 'FR');
		await until(() => closeCode !== 0, 5000, 'close');
		expect(closeCode).toBe(4403);
		// The server still holds the admin's choice: a fresh upload starts with it.
		expect((await uploadFile(admin, CSV, 'region-kept.csv')).body.region).toBe('DE');
	});

	it('a value that is not a country code is refused by the server (too long), an unknown code reads as none', async () => {
		const doc = open(admin);
		await until(() => doc.provider.synced, 5000, 'admin synced');
		let closeCode = 0;
		doc.provider.on('connection-close', (e: CloseEvent | null) => (closeCode = e?.code ?? 0));
		workspaceMap(doc.doc).set('phoneRegion', 'Germany');
		await until(() => closeCode !== 0, 5000, 'close');
		expect(closeCode).not.toBe(0);
		expect((await uploadFile(admin, CSV, 'region-still.csv')).body.region).toBe('DE');
	});

	it('the list exports read a phone of a record without a country in the region the server holds now', async () => {
		await createCustomer(server, admin, 'region-export', {
			contacts: { 'region-export-c0': { firstName: 'Jürgen', lastName: 'Weiß', phone: '030 1234567' } }
		});
		const file = async (name: string) => (await admin.request(`/api/export/${name}?q=wei%C3%9F`)).text();
		// The region set above (DE): the number's E.164 form beside it, in the CSV and the vCard.
		expect(await file('contacts.csv')).toContain(',030 1234567,,+49301234567,');
		expect(await file('contacts.vcf')).toContain('TEL;VALUE=uri;PREF=1:tel:+49301234567\r\n');

		const doc = open(admin);
		await until(() => doc.provider.synced, 5000, 'admin synced');
		setPhoneRegion(doc.doc, 'AT');
		await doc.acks.whenCommitted();
		expect(await file('contacts.csv')).toContain(',030 1234567,,+43301234567,');
		// The selection export reads it in the same region.
		const selection = await admin.postJson('/api/export/selection', { ids: ['region-export-c0'] });
		expect(selection.status).toBe(200);
		expect(await selection.text()).toContain('TEL;VALUE=uri;PREF=1:tel:+43301234567\r\n');
		// And so does the contact's own data export (a data access request).
		const own = await admin.request('/api/contacts/region-export-c0/data?format=vcf');
		expect(await own.text()).toContain('TEL;VALUE=uri;PREF=1:tel:+43301234567\r\n');
		// A phone search reads the typed number in the region too.
		expect(await (await admin.request('/api/export/contacts.csv?q=%2B43%2030%201234567')).text()).toContain('Weiß');

		setPhoneRegion(doc.doc, null);
		await doc.acks.whenCommitted();
		const none = await file('contacts.csv');
		expect(none).toContain(',030 1234567,');
		expect(none).not.toMatch(/\+4[39]301234567/);
	});
});
