/**
 * [§4][§6][§8] Exporting the contacts selected on the Persons list (issue #13 item 4) on the
 * real server: only contacts the signed-in user may read; ids that name no readable live
 * contact (forged, guessed, another user's private contact, in the trash) are left out alike;
 * a body the page could not have sent is a 400 with its reason, never a 500
 * (src/lib/schema/export-selection.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SELECTION } from '../../src/lib/schema/export-selection.ts';
import { Client } from './helpers/http.ts';
import { createCustomer } from './helpers/records.ts';
import type { TestServer } from './helpers/server.ts';
import { startWithStaff } from './helpers/staff.ts';

let server: TestServer;
let admin: Client;
let alice: Client;
let bob: Client;

const names = (vcf: string) => [...vcf.matchAll(/^FN:(.*)\r$/gm)].map((m) => m[1]);
const select = (c: Client, ids: unknown) => c.postJson('/api/export/selection', { ids });

beforeAll(async () => {
	({ server, admin, alice, bob } = await startWithStaff());
	await createCustomer(server, alice, 'sel-acme', {
		fields: { companyName: 'Acme GmbH' },
		access: 'public-read',
		contacts: {
			'sel-acme-c0': { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme.example' },
			'sel-acme-c1': { firstName: 'Jürgen', lastName: 'Weiß' },
			'sel-acme-c2': { firstName: 'Tom', lastName: 'Trashed' }
		},
		trashed: ['sel-acme-c2']
	});
	await createCustomer(server, alice, 'sel-secret', {
		fields: { companyName: 'Secret AG' },
		access: 'private',
		contacts: { 'sel-secret-c0': { firstName: 'Zoë', lastName: 'Łukasiewicz' } }
	});
});
afterAll(async () => {
	await server?.stop();
});

describe('POST /api/export/selection', () => {
	it('[§4] gives the selected contacts as one vCard 4.0 file, in the order selected', async () => {
		const res = await select(bob, ['sel-acme-c1', 'sel-acme-c0']);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('text/vcard; charset=utf-8');
		expect(res.headers.get('content-disposition')).toMatch(
			/^attachment; filename="contacts-selection-\d{4}-\d{2}-\d{2}\.vcf"$/
		);
		expect(res.headers.get('x-export-count')).toBe('2');
		const vcf = await res.text();
		expect(vcf).toMatch(/^BEGIN:VCARD\r\nVERSION:4\.0\r\n/);
		expect(names(vcf)).toEqual(['Jürgen Weiß', 'Ada Lovelace']);
		expect(vcf).toContain('UID:urn:fieldbook:contact:sel-acme-c0\r\n');
		expect(vcf).toContain('EMAIL;PREF=1:ada@acme.example\r\n');
	});

	it("[§6] another user's private contact and forged or trashed ids are left out alike; the count says so", async () => {
		const res = await select(bob, ['sel-secret-c0', 'sel-acme-c0', 'forged-id-123', 'sel-acme-c2']);
		expect(res.status).toBe(200);
		expect(res.headers.get('x-export-count')).toBe('1');
		const vcf = await res.text();
		expect(names(vcf)).toEqual(['Ada Lovelace']);
		expect(vcf).not.toContain('ukasiewicz');
		expect(vcf).not.toContain('Trashed');
		// Nothing readable at all: a 404, the same for a private contact and an id that never existed.
		const hidden = await select(bob, ['sel-secret-c0']);
		const forged = await select(bob, ['forged-id-123']);
		expect([hidden.status, forged.status]).toEqual([404, 404]);
		expect(await hidden.json()).toEqual(await forged.json());
	});

	it('[§6] the manager of the private record and an admin get it', async () => {
		expect(names(await (await select(alice, ['sel-secret-c0'])).text())).toEqual(['Zoë Łukasiewicz']);
		expect(names(await (await select(admin, ['sel-secret-c0'])).text())).toEqual(['Zoë Łukasiewicz']);
	});

	it('[§8] a body the page could not have sent is a 400 with its reason, never a 500; no session is a 401', async () => {
		const reason = async (res: Response) => {
			expect(res.status).toBe(400);
			return ((await res.json()) as { reason: string }).reason;
		};
		expect(await reason(await select(bob, ["sel-acme-c0' OR '1'='1"]))).toBe('bad_id');
		expect(await reason(await select(bob, ['sel-acme-c0', 42]))).toBe('bad_id');
		expect(await reason(await select(bob, ['../sel-acme-c0']))).toBe('bad_id');
		expect(await reason(await select(bob, 'sel-acme-c0'))).toBe('not_a_list');
		expect(await reason(await select(bob, []))).toBe('empty');
		const many = Array.from({ length: MAX_SELECTION + 1 }, (_, i) => `sel-acme-c${i}`);
		expect(await reason(await select(bob, many))).toBe('too_many');
		expect(await reason(await bob.postJson('/api/export/selection', '{"ids": ['))).toBe('not_json');
		expect(
			await reason(
				await bob.request('/api/export/selection', {
					method: 'POST',
					headers: { 'content-type': 'text/plain' },
					body: '{"ids":["sel-acme-c0"]}'
				})
			)
		).toBe('not_json');
		expect((await select(new Client(server.url), ['sel-acme-c0'])).status).toBe(401);
		// The server is still there.
		expect((await select(bob, ['sel-acme-c0'])).status).toBe(200);
	});
});
