/**
 * [§4][§8] Additional fields in the import mapping (issue #13 item 1): a column can be imported
 * into one of the workspace's additional fields (`custom.<id>`). Person fields go on the
 * contact, company fields on the company the row creates; a cell that does not read as the
 * field's type is kept as written (the record shows it flagged), never dropped. A field the
 * workspace does not have, or has removed, is refused in the mapping with the column named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomField, removeCustomField } from '../../src/lib/schema/custom-fields.ts';
import { SETTINGS_DOC } from '../../src/lib/schema/settings.ts';
import { Client } from './helpers/http.ts';
import { chooseOptions, runReport, runToEnd, uploadFile } from './helpers/imports.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { staffUser } from './helpers/staff.ts';
import { connect, until } from './helpers/sync.ts';

let server: TestServer;
let admin: Client;
let erin: Client;

const STAMP = Date.now();
const FILE = [
	'Name;Firma;Schuhgröße;Stufe;Mail',
	`Jonas Sommer;Sommer Holz ${STAMP};43;Gold;jonas.sommer.${STAMP}@example.com`,
	`Rita Haas;Haas Bau ${STAMP};groß;Silber;rita.haas.${STAMP}@example.com`,
	''
].join('\r\n');

beforeAll(async () => {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000' });
	admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	erin = await staffUser(server, admin, 'erin.custom-import@example.com');
	// The admin defines the fields as the Settings page does: in the settings document.
	const s = connect(server, admin, SETTINGS_DOC);
	try {
		await until(() => s.provider.synced);
		addCustomField(s.doc, 'shoe', { appliesTo: 'person', type: 'number', label: 'Shoe size', required: false });
		addCustomField(s.doc, 'tier', {
			appliesTo: 'company',
			type: 'select',
			label: 'Tier',
			required: false,
			options: ['Gold', 'Silber']
		});
		addCustomField(s.doc, 'gone', { appliesTo: 'person', type: 'text', label: 'Gone', required: false });
		removeCustomField(s.doc, 'gone', Date.now());
		await s.acks.whenCommitted();
	} finally {
		s.destroy();
	}
});

afterAll(async () => {
	await server?.stop();
});

const MAPPING = ['field:fullName', 'field:company', 'custom.shoe', 'custom.tier', 'field:email'];

describe('[§4][§8] import into additional fields', () => {
	it('a column maps to an additional field; the preview and the stored records hold the values', async () => {
		const up = await uploadFile(erin, FILE, 'zusatz.csv');
		expect(up.status).toBe(201);
		const id = up.body.id as string;
		const mapped = await chooseOptions(erin, id, { columns: MAPPING });
		expect(mapped.status).toBe(200);
		const preview = mapped.body.preview as { contact: Record<string, unknown>; customer: Record<string, unknown> }[];
		expect(preview[0].contact).toMatchObject({ lastName: 'Sommer', 'custom.shoe': 43 });
		expect(preview[0].customer).toMatchObject({ companyName: `Sommer Holz ${STAMP}`, 'custom.tier': 'Gold' });
		// "groß" is no number: kept as written, for the record to show flagged.
		expect(preview[1].contact).toMatchObject({ lastName: 'Haas', 'custom.shoe': 'groß' });

		const report = await runToEnd(erin, id);
		expect(report.counts).toEqual({ imported: 2, updated: 0, skipped: 0, refused: 0 });
		const persons = await (await erin.request(`/api/export/contacts.csv?q=${STAMP}`)).text();
		const [header, ...rows] = persons
			.replace(/^\uFEFF/, '')
			.trimEnd()
			.split('\r\n');
		const shoe = header.split(',').indexOf('Shoe size');
		expect(shoe).toBeGreaterThan(0);
		expect(rows.map((r) => r.split(',')[shoe]).sort()).toEqual(['43', 'groß']);
		const companies = await (await erin.request(`/api/export/companies.csv?q=${STAMP}`)).text();
		const [cHeader, ...cRows] = companies
			.replace(/^\uFEFF/, '')
			.trimEnd()
			.split('\r\n');
		const tier = cHeader.split(',').indexOf('Tier');
		expect(cRows.map((r) => r.split(',')[tier]).sort()).toEqual(['Gold', 'Silber']);
	});

	it("a vCard's additional fields: by id, else by label (a file from another workspace); an unknown one is not kept", async () => {
		const vcf = [
			['BEGIN:VCARD', 'VERSION:4.0', `FN:Lena Vogt`, 'N:Vogt;Lena;;;', `EMAIL:lena.vogt.${STAMP}@example.com`],
			// Written by this workspace: the field's id.
			['X-FIELDBOOK-FIELD;X-ID=shoe;X-LABEL="Schuhgröße":39', 'END:VCARD'],
			['BEGIN:VCARD', 'VERSION:4.0', 'FN:Tom Berg', 'N:Berg;Tom;;;', `EMAIL:tom.berg.${STAMP}@example.com`],
			// Another workspace's id, with a label this workspace has; and a field nobody here has.
			['X-FIELDBOOK-FIELD;X-ID=f_93;X-LABEL="shoe  SIZE":44', 'X-FIELDBOOK-FIELD;X-ID=f_94;X-LABEL="Hobby":Segeln'],
			['END:VCARD', '']
		]
			.flat()
			.join('\r\n');
		const up = await uploadFile(erin, vcf, 'andere.vcf');
		expect(up.status).toBe(201);
		const report = await runToEnd(erin, up.body.id as string);
		expect(report.counts).toEqual({ imported: 2, updated: 0, skipped: 0, refused: 0 });
		// Tom's "Hobby" has no field here: his row says so (line 8, where his card starts).
		expect(report.rows).toEqual([{ line: 8, outcome: 'imported', reason: null, detail: { notKept: ['custom'] } }]);
		const persons = await (await erin.request(`/api/export/contacts.csv?q=${STAMP}`)).text();
		const [header, ...rows] = persons
			.replace(/^\uFEFF/, '')
			.trimEnd()
			.split('\r\n');
		const cols = header.split(',');
		const byName = new Map(rows.map((r) => r.split(',')).map((c) => [c[cols.indexOf('First Name')], c]));
		expect(byName.get('Lena')?.[cols.indexOf('Shoe size')]).toBe('39');
		expect(byName.get('Tom')?.[cols.indexOf('Shoe size')]).toBe('44');
		expect(persons).not.toContain('Segeln');
	});

	it('a field the workspace does not have, or removed, or a malformed key: 400 naming the column', async () => {
		const id = (await uploadFile(erin, FILE.replace('Mail', 'E-Post'), 'zusatz-2.csv')).body.id as string;
		for (const [key, column] of [
			['custom.nosuchfield', 2],
			['custom.gone', 3],
			['custom.bad id', 2],
			['custom.', 2],
			[`custom.${'x'.repeat(65)}`, 3]
		] as const) {
			const columns = [...MAPPING];
			columns[column] = key;
			const res = await chooseOptions(erin, id, { columns });
			expect(res, key).toMatchObject({ status: 400, body: { reason: 'unknown_target', column } });
		}
		// Nothing of that was kept: the run has not started and takes a good mapping.
		expect((await runReport(erin, id)).body.status).toBe('ready');
		expect((await chooseOptions(erin, id, { columns: MAPPING })).status).toBe(200);
	});
});
