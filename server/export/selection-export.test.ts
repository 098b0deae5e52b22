/**
 * "Export selection as vCard" (issue #13 item 4) writes a phone as the list export does: a
 * number with no country, on a record with none, read in the workspace's default region
 * (the route passes SyncServer.phoneRegion()) gets its E.164 form, a tel: URI; without a
 * region it stays text.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addContact, initCustomer, updateCustomer } from '../../src/lib/schema/customer-doc.ts';
import { parseExportQuery } from '../../src/lib/schema/export-query.ts';
import type { CountryCode } from '../../src/lib/schema/phones.ts';
import { openDatabase, type Db } from '../db.ts';
import { projectCustomer } from '../projection.ts';
import { exportList } from './list-export.ts';
import { exportSelection } from './selection-export.ts';

const ADMIN = { id: 'root', role: 'admin' } as const;
let dir: string;
let db: Db;

function company(id: string, country: string | null, phone: string) {
	const doc = new Y.Doc();
	initCustomer(doc, { kind: 'company', authorId: ADMIN.id, now: 1, fields: { companyName: `Firma ${id}` } });
	if (country) updateCustomer(doc, { country }, ADMIN.id, 2);
	addContact(doc, { id: `${id}-k`, fields: { firstName: 'Kim', lastName: id, phone }, authorId: ADMIN.id, now: 3 });
	db.transaction(() => projectCustomer(db, id, doc))();
}

const tels = (vcf: string) => vcf.split('\r\n').filter((l) => l.startsWith('TEL'));
const listVcf = (region: CountryCode | null) => {
	const q = parseExportQuery(new URLSearchParams(''));
	if (!q.ok) throw new Error(q.param);
	return exportList(db, ADMIN, () => true, { list: 'contacts', format: 'vcf', region }, q.value).body;
};

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldbook-sel-export-'));
	db = openDatabase(path.join(dir, 'fieldbook.db'));
});
afterEach(() => {
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

describe('[13.4] a selection’s phones in the workspace’s region', () => {
	it('no region: a national number stays as typed; with one: its E.164 form, as in the list export; a record’s own country wins', () => {
		company('berlin', null, '030 1234567');
		company('wien', 'AT', '01 2345678');
		expect(tels(exportSelection(db, () => true, ['berlin-k']).body)).toEqual(['TEL;VALUE=text;PREF=1:030 1234567']);

		const selected = tels(exportSelection(db, () => true, ['berlin-k', 'wien-k'], { region: 'DE' }).body);
		expect(selected).toEqual(['TEL;VALUE=uri;PREF=1:tel:+49301234567', 'TEL;VALUE=uri;PREF=1:tel:+4312345678']);
		expect(tels(listVcf('DE')).sort()).toEqual([...selected].sort());
	});
});
