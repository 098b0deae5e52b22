/**
 * Additional fields in the list export (issue #13 items 1 and 5): a CSV column per live field,
 * headed by its label, with the values the projection mirrored from the customer documents
 * (a value that no longer fits its field is exported as stored; a removed field has no column).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { StaffRef } from '../../src/lib/schema/access.ts';
import {
	addContact,
	customerMap,
	contactsMap,
	initCustomer,
	updateCustomer
} from '../../src/lib/schema/customer-doc.ts';
import { addCustomField, removeCustomField, updateCustomField } from '../../src/lib/schema/custom-fields.ts';
import { writeCustomValues } from '../../src/lib/schema/custom-values.ts';
import { parseExportQuery } from '../../src/lib/schema/export-query.ts';
import { SETTINGS_DOC } from '../../src/lib/schema/settings.ts';
import { openDatabase, type Db } from '../db.ts';
import { projectCustomer, removeCustomer } from '../projection.ts';
import { SqliteDocStore } from '../sync/doc-store.ts';
import { serverCustomFields } from '../custom-values.ts';
import { contactVcard, type ContactDataExport } from './contact-data.ts';
import { exportList } from './list-export.ts';

const ADMIN: StaffRef = { id: 'root', role: 'admin' };
let dir: string;
let db: Db;
let settings: Y.Doc;

function storeSettings(edit: (d: Y.Doc) => void): void {
	const sv = Y.encodeStateVector(settings);
	edit(settings);
	new SqliteDocStore(db).append([{ doc: SETTINGS_DOC, data: Y.encodeStateAsUpdate(settings, sv), userId: ADMIN.id }]);
}

function company(
	id: string,
	name: string,
	values: Record<string, string | number | boolean>,
	contact?: Record<string, string | number>
) {
	const doc = new Y.Doc();
	initCustomer(doc, { kind: 'company', authorId: ADMIN.id, now: 1, fields: { companyName: name } });
	updateCustomer(doc, { access: 'public-read' }, ADMIN.id, 2);
	writeCustomValues(customerMap(doc) as Y.Map<unknown>, values);
	if (contact) {
		addContact(doc, { id: `${id}-k`, fields: { firstName: 'Kim', lastName: name }, authorId: ADMIN.id, now: 3 });
		writeCustomValues(contactsMap(doc).get(`${id}-k`) as Y.Map<unknown>, contact);
	}
	db.transaction(() => projectCustomer(db, id, doc))();
}

const exportCsv = (list: 'companies' | 'contacts', query = '') => {
	const q = parseExportQuery(new URLSearchParams(query));
	if (!q.ok) throw new Error(q.param);
	return exportList(db, ADMIN, () => true, { list, format: 'csv' }, q.value)
		.body.replace(/^\uFEFF/, '')
		.trimEnd()
		.split('\r\n');
};

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-cf-export-'));
	db = openDatabase(path.join(dir, 'fieldbook.db'));
	settings = new Y.Doc();
	storeSettings((d) => {
		addCustomField(d, 'tier', {
			appliesTo: 'company',
			type: 'select',
			label: 'Tier',
			required: false,
			options: ['Gold']
		});
		addCustomField(d, 'vip', { appliesTo: 'company', type: 'checkbox', label: 'VIP', required: false });
		addCustomField(d, 'shoe', { appliesTo: 'person', type: 'number', label: 'Shoe size', required: false });
	});
});

afterEach(() => {
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

describe('additional fields in the list export', () => {
	it('companies and contacts get a column per live field with their values', () => {
		company('c1', 'Acme', { tier: 'Gold', vip: true }, { shoe: '43' });
		company('c2', 'Beta', { vip: false });
		expect(exportCsv('companies')).toEqual([
			'Company,E-mail,E-mail Label,Phone,Phone Label,Phone E.164,Street,City,State,Postal Code,Country,Contacts,Tier,VIP',
			'Acme,,,,,,,,,,,1,Gold,yes',
			'Beta,,,,,,,,,,,0,,no'
		]);
		// "43" typed as text is exported as stored (the reader flags it; nothing is lost).
		expect(exportCsv('contacts')[0]).toMatch(/^Name Prefix,First Name,.*,Do Not Call,Shoe size$/);
		expect(exportCsv('contacts')[1]).toMatch(/^,Kim,,Acme,.*,43$/);
	});

	it('a renamed field is headed by its new label; a removed one has no column; a removed customer no values', () => {
		company('c1', 'Acme', { tier: 'Gold', vip: true });
		storeSettings((d) => {
			updateCustomField(d, 'tier', { label: 'Level' });
			removeCustomField(d, 'vip', 5);
		});
		expect(exportCsv('companies')).toEqual([
			'Company,E-mail,E-mail Label,Phone,Phone Label,Phone E.164,Street,City,State,Postal Code,Country,Contacts,Level',
			'Acme,,,,,,,,,,,0,Gold'
		]);
		db.transaction(() => removeCustomer(db, 'c1'))();
		expect(db.prepare('SELECT count(*) FROM custom_values').pluck().get()).toBe(0);
	});

	it("the list's filters on additional fields apply to the export", () => {
		company('c1', 'Acme', { tier: 'Gold', vip: true }, { shoe: 43 });
		company('c2', 'Beta', { vip: false }, { shoe: 38 });
		expect(exportCsv('companies', 'cf.tier=Gold').slice(1)).toEqual(['Acme,,,,,,,,,,,1,Gold,yes']);
		expect(exportCsv('companies', 'cf.vip=no').slice(1)).toEqual(['Beta,,,,,,,,,,,1,,no']);
		expect(exportCsv('contacts', 'cf.shoe=38').map((l) => l.split(',')[3])).toEqual(['Last Name', 'Beta']);
		// A filter on a field that is removed (or never was) filters nothing, as on the device.
		expect(exportCsv('companies', 'cf.gone=x')).toHaveLength(3);
		expect(parseExportQuery(new URLSearchParams('cf.bad.id=x'))).toEqual({ ok: false, param: 'cf' });
	});

	it('cell text a spreadsheet would evaluate is neutralised in custom columns too', () => {
		storeSettings((d) =>
			addCustomField(d, 'note', { appliesTo: 'company', type: 'text', label: 'Note', required: false })
		);
		company('c1', 'Acme', { note: '=HYPERLINK("x")' });
		expect(exportCsv('companies')[1]).toContain(`'=HYPERLINK`);
	});

	it('the vCard export carries them as X-FIELDBOOK-FIELD with id and label; a removed field is left out', () => {
		company('c1', 'Acme', { tier: 'Gold', vip: false }, { shoe: 43 });
		storeSettings((d) => removeCustomField(d, 'tier', 5));
		const vcf = (list: 'companies' | 'contacts') => {
			const q = parseExportQuery(new URLSearchParams());
			if (!q.ok) throw new Error(q.param);
			return exportList(db, ADMIN, () => true, { list, format: 'vcf' }, q.value).body;
		};
		expect(vcf('companies')).toContain('X-FIELDBOOK-FIELD;X-ID=vip;X-LABEL="VIP":no\r\n');
		expect(vcf('companies')).not.toContain('X-ID=tier');
		expect(vcf('contacts')).toContain('X-FIELDBOOK-FIELD;X-ID=shoe;X-LABEL="Shoe size":43\r\n');
		expect(vcf('contacts')).not.toContain('X-ID=vip');
	});

	it("a contact's own vCard (the data access export) carries their live person fields", () => {
		storeSettings((d) =>
			addCustomField(d, 'gone', { appliesTo: 'person', type: 'text', label: 'Gone', required: false })
		);
		storeSettings((d) => removeCustomField(d, 'gone', 5));
		const data = {
			contact: {
				id: 'k1',
				customerId: 'c1',
				customerName: 'Acme',
				fields: { firstName: 'Kim', lastName: 'Lee', 'custom.shoe': 43, 'custom.gone': 'x', 'custom.tier': 'Gold' }
			}
		} as unknown as ContactDataExport;
		const vcf = contactVcard(data, serverCustomFields(db));
		expect(vcf).toContain('X-FIELDBOOK-FIELD;X-ID=shoe;X-LABEL="Shoe size":43\r\n');
		// A removed field, and a company field's key on a contact, are not written.
		expect(vcf).not.toContain('X-ID=gone');
		expect(vcf).not.toContain('X-ID=tier');
		expect(contactVcard(data)).not.toContain('X-FIELDBOOK-FIELD');
	});
});
