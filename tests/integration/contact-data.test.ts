/**
 * [§6][§8] A contact's full data for an access request (issue #13 item 5), on the real server:
 * everything stored about them in one JSON (and a vCard), for staff who may read the contact's
 * customer only; no secret ever in it; every other id the same 404, never a 500.
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

beforeAll(async () => {
	({ server, admin, alice, bob } = await startWithStaff());
	await createCustomer(server, alice, 'gdpr-acme', {
		fields: { companyName: 'Acme GmbH' },
		access: 'private',
		contacts: {
			'gdpr-ada': {
				firstName: 'Ada',
				lastName: 'Lovelace',
				email: 'ada@acme.example',
				phone: '+49 8141 123',
				position: 'Einkauf',
				// Richer contacts (issue #13 item 2): all of it is theirs too.
				namePrefix: 'Dr.',
				'emails.1': 'ada@home.example',
				'emails.1.label': 'home',
				birthday: '--12-10',
				tags: 'VIP, Math',
				notes: 'Prefers letters.',
				doNotCall: true,
				city: 'London'
			}
		}
	});
	const pw = await alice.postJson('/api/contacts/gdpr-ada/password', { password: 'portal-password-1' });
	expect(pw.status).toBe(200);
});
afterAll(async () => {
	await server?.stop();
});

describe('GET /api/contacts/:id/data', () => {
	it('gives a reader everything stored about the contact, and no secret', async () => {
		const res = await alice.request('/api/contacts/gdpr-ada/data');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(res.headers.get('content-disposition')).toBe('attachment; filename="contact-gdpr-ada.json"');
		const body = await res.text();
		const data = JSON.parse(body);
		expect(data).toMatchObject({
			format: 'fieldbook.contact-data/1',
			exportedBy: { name: expect.any(String) },
			contact: {
				id: 'gdpr-ada',
				customerId: 'gdpr-acme',
				customerName: 'Acme GmbH',
				fields: {
					firstName: 'Ada',
					lastName: 'Lovelace',
					email: 'ada@acme.example',
					position: 'Einkauf',
					namePrefix: 'Dr.',
					'emails.1': 'ada@home.example',
					birthday: '--12-10',
					tags: 'VIP, Math',
					notes: 'Prefers letters.',
					doNotCall: true,
					city: 'London'
				}
			}
		});
		// Who created them and when, from the history; the welcome mail written to them.
		expect(data.history.some((h: { field: string }) => h.field === 'created')).toBe(true);
		expect(data.mail).toEqual([expect.objectContaining({ kind: 'welcome', to: 'ada@acme.example' })]);
		// The portal: a password is set (when), never its hash; links by date only.
		expect(Date.parse(data.portal.passwordSetAt)).toBeGreaterThan(0);
		expect(body).not.toMatch(/argon2|password_hash|token_hash|portal-password-1/);
	});

	it('gives the vCard of the contact', async () => {
		const res = await alice.request('/api/contacts/gdpr-ada/data?format=vcf');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('text/vcard; charset=utf-8');
		const card = await res.text();
		expect(card).toMatch(/^BEGIN:VCARD\r\nVERSION:4\.0\r\n/);
		expect(card).toContain('FN:Dr. Ada Lovelace\r\n');
		expect(card).toContain('N:Lovelace;Ada;;Dr.;\r\n');
		expect(card).toContain('EMAIL;TYPE=home:ada@home.example\r\n');
		expect(card).toContain('BDAY:--1210\r\n');
		expect(card).toContain('CATEGORIES:VIP,Math\r\n');
		expect(card).toContain('NOTE:Prefers letters.\r\n');
		expect(card).toContain('ADR:;;;London;;;\r\n');
		expect(card).toContain('ORG:Acme GmbH\r\n');
		expect(card).toContain('EMAIL;PREF=1:ada@acme.example\r\n');
		expect(card).toContain('UID:urn:fieldbook:contact:gdpr-ada\r\n');
	});

	it('answers a user who may not read the customer, a guessed id and garbage ids alike: 404', async () => {
		const missing = await alice.request('/api/contacts/no-such-contact/data');
		expect(missing.status).toBe(404);
		const expected = await missing.text();
		for (const id of ['gdpr-ada', 'no-such-contact', '%00', 'x'.repeat(300), '..%2F..%2Fetc', '%E2%80%AE']) {
			const res = await bob.request(`/api/contacts/${id}/data`);
			expect(res.status, id).toBe(404);
			expect(await res.text(), id).toBe(expected);
		}
		expect((await admin.request('/api/contacts/gdpr-ada/data')).status).toBe(200); // admins read everything
	});

	it('without a session is a 401; an unknown format a 400', async () => {
		expect((await new Client(server.url).request('/api/contacts/gdpr-ada/data')).status).toBe(401);
		expect((await alice.request('/api/contacts/gdpr-ada/data?format=xml')).status).toBe(400);
	});
});
