/**
 * [§8] Import runs on the real server (issue #13 item 3): a Google Contacts and an Outlook CSV
 * (invented people, messy: quoted line breaks, a bad e-mail, a row with no name, a formula
 * cell, a company named twice) and a vCard 3.0 are uploaded, previewed, run and undone. The
 * report says exactly which lines were imported or refused and why; a device connected to
 * the background-sync feed receives the records and their undo; the same file twice creates
 * nothing new; another user's, a guessed or a malformed run id is the same 404.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { contactsMap, customerMap, readContacts } from '../../src/lib/schema/customer-doc.ts';
import { FeedMsg } from '../../src/lib/schema/protocol.ts';
import type { HistoryPage } from '../../src/lib/schema/history.ts';
import { FeedClient } from './helpers/feed.ts';
import { Client } from './helpers/http.ts';
import { seedCustomer, setPortalPassword, PORTAL_PASSWORD } from './helpers/portal-seed.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { staffUser } from './helpers/staff.ts';
import { until } from './helpers/sync.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/import/', import.meta.url));
const GOOGLE = fs.readFileSync(path.join(FIXTURES, 'run-google.csv'));
const OUTLOOK = fs.readFileSync(path.join(FIXTURES, 'run-outlook.csv'));
const MAX_BYTES = 256 * 1024;

let server: TestServer;
let admin: Client;
let alice: Client;
let bob: Client;
let aliceId: string;
/** Alice's device: the background-sync feed, with every document it received. */
let device: FeedClient;

interface Report {
	id: string;
	status: string;
	counts: { imported: number; updated: number; skipped: number; refused: number };
	rows: { line: number; outcome: string; reason: string | null; detail: Record<string, unknown> | null }[];
	error: string | null;
}

async function upload(
	c: Client,
	bytes: Uint8Array | string,
	name: string,
	init: { origin?: string | null; query?: string } = {}
): Promise<{ status: number; body: Record<string, unknown> }> {
	const res = await c.request(`/api/import?name=${encodeURIComponent(name)}${init.query ?? ''}`, {
		method: 'POST',
		headers: { 'content-type': 'application/octet-stream' },
		body: typeof bytes === 'string' ? bytes : Buffer.from(bytes),
		origin: init.origin
	});
	return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

async function report(c: Client, id: string): Promise<{ status: number; body: Report }> {
	const res = await c.request(`/api/import/${encodeURIComponent(id)}`);
	return { status: res.status, body: (await res.json()) as Report };
}

/** Uploads, runs with `rule` and waits for the run to finish; returns the report. */
async function importFile(c: Client, bytes: Uint8Array | string, name: string, rule = 'skip'): Promise<Report> {
	const up = await upload(c, bytes, name);
	expect(up.status).toBe(201);
	const id = up.body.id as string;
	const run = await c.postJson(`/api/import/${id}/run`, { rule });
	expect(run.status).toBe(202);
	const t0 = Date.now();
	for (;;) {
		const done = (await report(c, id)).body;
		if (done.status !== 'running') {
			expect(done.status).toBe('done');
			return done;
		}
		if (Date.now() - t0 > 15_000) throw new Error('the import run did not finish');
		await new Promise((r) => setTimeout(r, 50));
	}
}

/** The documents the device holds: every change the feed delivered, applied. */
function deviceDocs(): Map<string, Y.Doc> {
	const docs = new Map<string, Y.Doc>();
	for (const m of device.of(FeedMsg.change)) {
		if (m.doc === 'settings') continue;
		const d = docs.get(m.doc) ?? new Y.Doc();
		Y.applyUpdate(d, m.update);
		docs.set(m.doc, d);
	}
	return docs;
}

function companyOnDevice(name: string): { id: string; doc: Y.Doc } | undefined {
	for (const [id, doc] of deviceDocs())
		if (customerMap(doc).get('companyName') === name && !customerMap(doc).get('deletedAt')) return { id, doc };
	return undefined;
}

const names = (doc: Y.Doc | undefined) => (doc ? readContacts(doc).map((c) => `${c.firstName} ${c.lastName}`) : []);

beforeAll(async () => {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000', IMPORT_MAX_BYTES: String(MAX_BYTES) });
	admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	alice = await staffUser(server, admin, 'alice.import@example.com');
	bob = await staffUser(server, admin, 'bob.import@example.com');
	aliceId = await alice.userId();
	device = await FeedClient.open(server, alice);
	device.send({ type: FeedMsg.hello, since: 0 });
	await device.waitFor(FeedMsg.caughtUp);
});

afterAll(async () => {
	device?.close();
	await server?.stop();
});

let googleRun: Report;

describe('[§8] import run', () => {
	it('a Google Contacts CSV: detection and preview, then counts and report lines exactly', async () => {
		const up = await upload(alice, GOOGLE, 'contacts.csv');
		expect(up.status).toBe(201);
		const detection = up.body.detection as Record<string, unknown>;
		expect(detection).toMatchObject({ format: 'csv', delimiter: ',', layout: 'google' });
		const preview = up.body.preview as Record<string, unknown>[];
		expect(preview.map((r) => [r.line, r.outcome])).toEqual([
			[2, 'ready'],
			[4, 'ready'],
			[5, 'ready'],
			[6, 'refused'],
			[7, 'refused'],
			[8, 'ready'],
			[9, 'ready']
		]);
		// As it will be stored: the formula cell as text, the website with its scheme.
		expect(preview[5]).toMatchObject({ contact: { position: '=1+2' }, warnings: [{ code: 'formula', column: 11 }] });
		expect(preview[6]).toMatchObject({ kind: 'company', customer: { website: 'https://www.fjordfisk.example' } });

		googleRun = await importFile(alice, GOOGLE, 'contacts.csv');
		expect(googleRun.counts).toEqual({ imported: 5, updated: 0, skipped: 0, refused: 2 });
		expect(googleRun.rows).toEqual([
			// Tags and notes are kept now (issue #13 item 2): line 2 has nothing to report.
			{ line: 6, outcome: 'refused', reason: 'bad_email', detail: { column: 18 } },
			{ line: 7, outcome: 'refused', reason: 'no_name', detail: null },
			{ line: 8, outcome: 'imported', reason: null, detail: { warnings: [{ code: 'formula', column: 11 }] } }
		]);
	});

	it('the importer’s device receives the records by sync, the company created once, the importer in History', async () => {
		await until(() => companyOnDevice('Fjord Fisk AS') !== undefined, 5000, 'the records on the device');
		const nordwind = companyOnDevice('Nordwind Logistik GmbH')!;
		expect(names(nordwind.doc).sort()).toEqual(['Lena Vogt', 'Piet Janssen']);
		expect(companyOnDevice('NORDWIND logistik  GmbH')).toBeUndefined();
		expect(customerMap(nordwind.doc).get('createdBy')).toBe(aliceId);
		const igor = readContacts(companyOnDevice('Kaskad Trading')!.doc)[0];
		expect(igor).toMatchObject({ firstName: 'Igor', position: '=1+2', email: 'igor.petrov@kaskad.example' });
		const person = [...deviceDocs().values()].find((d) => customerMap(d).get('kind') === 'person')!;
		expect(readContacts(person)[0]).toMatchObject({ firstName: 'Rosa', phone: '+351 912 345 678' });
		expect(customerMap(person).get('city')).toBe('Porto');

		const res = await alice.request(`/api/customers/${nordwind.id}/history`);
		const page = (await res.json()) as HistoryPage;
		expect(page.entries.length).toBeGreaterThan(0);
		for (const e of page.entries) expect(e.author?.id).toBe(aliceId);
	});

	it('the same file again creates nothing new', async () => {
		const before = deviceDocs().size;
		const again = await importFile(alice, GOOGLE, 'contacts.csv');
		expect(again.counts).toEqual({ imported: 0, updated: 0, skipped: 5, refused: 2 });
		expect(again.rows.filter((r) => r.outcome === 'skipped').map((r) => [r.line, r.reason])).toEqual([
			[2, 'already_imported'],
			[4, 'already_imported'],
			[5, 'already_imported'],
			[8, 'already_imported'],
			[9, 'already_imported']
		]);
		await new Promise((r) => setTimeout(r, 200));
		expect(deviceDocs().size).toBe(before);
		expect(names(companyOnDevice('Nordwind Logistik GmbH')!.doc)).toHaveLength(2);
	});

	it('an Outlook CSV: matched to the existing company, a new one created once, bad rows reported', async () => {
		const run = await importFile(alice, OUTLOOK, 'outlook.csv');
		expect(run.counts).toEqual({ imported: 3, updated: 0, skipped: 0, refused: 3 });
		expect(run.rows).toEqual([
			{ line: 2, outcome: 'imported', reason: null, detail: { notKept: ['address'] } },
			{ line: 4, outcome: 'refused', reason: 'bad_email', detail: { column: 14 } },
			{ line: 5, outcome: 'refused', reason: 'no_name', detail: null },
			{
				line: 6,
				outcome: 'imported',
				reason: null,
				detail: { warnings: [{ code: 'formula', column: 43 }] }
			},
			{ line: 8, outcome: 'refused', reason: 'too_many_columns', detail: { column: 88 } }
		]);
		// The rows are written in waves: Eli may reach the device in a later update than Dora.
		await until(
			() => names(companyOnDevice('Kim & Partner')?.doc).length === 2,
			5000,
			'Kim & Partner and both its people on the device'
		);
		await until(() => names(companyOnDevice('Nordwind Logistik GmbH')!.doc).length === 3, 5000, 'Anna on the device');
		expect(names(companyOnDevice('Kim & Partner')!.doc).sort()).toEqual(['Dora Kim', 'Eli Moss']);
	});

	it('rule "update": fields of the matched contact change, and the undo restores them', async () => {
		const csv =
			'First Name,Last Name,E-mail,Job Title,Department\r\nLena,Vogt,lena.vogt@nordwind.example,Leiterin Einkauf,Einkauf\r\n';
		const run = await importFile(alice, csv, 'update.csv', 'update');
		expect(run.counts).toEqual({ imported: 0, updated: 1, skipped: 0, refused: 0 });
		const lena = () =>
			readContacts(companyOnDevice('Nordwind Logistik GmbH')!.doc).find((c) => c.firstName === 'Lena')!;
		const department = () => {
			const doc = companyOnDevice('Nordwind Logistik GmbH')!.doc;
			return contactsMap(doc).get(lena().id)?.get('department') ?? null;
		};
		await until(() => lena().position === 'Leiterin Einkauf', 5000, 'the update on the device');
		// A field the contact did not have yet is updated too (richer contacts, issue #13 item 2).
		expect(department()).toBe('Einkauf');
		// The same file again changes nothing.
		const again = await importFile(alice, csv, 'update-again.csv', 'update');
		expect(again.counts).toEqual({ imported: 0, updated: 0, skipped: 1, refused: 0 });
		const undo = await alice.postJson(`/api/import/${run.id}/undo`, {});
		expect(undo.status).toBe(200);
		await until(() => lena().position === 'Disponentin', 5000, 'the previous value on the device');
		expect(department()).toBe(null);
	});

	it('undo of the Google run: its records go to the trash, on the device too; a second undo is a no-op', async () => {
		const nordwind = companyOnDevice('Nordwind Logistik GmbH')!.id;
		const res = await alice.postJson(`/api/import/${googleRun.id}/undo`, {});
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ status: 'undone', notUndone: 0 });
		await until(() => companyOnDevice('Fjord Fisk AS') === undefined, 5000, 'the undo on the device');
		// Each record is trashed by its own change; they reach the device one after another.
		await until(() => companyOnDevice('Nordwind Logistik GmbH') === undefined, 5000, 'Nordwind trashed on the device');
		const trashed = deviceDocs().get(nordwind)!;
		expect(customerMap(trashed).get('deletedBy')).toBe(aliceId);
		expect(typeof customerMap(trashed).get('deletedAt')).toBe('number');
		expect(companyOnDevice('Kaskad Trading')).toBeUndefined();
		// The Outlook run's company stays.
		expect(companyOnDevice('Kim & Partner')).toBeDefined();

		const second = await alice.postJson(`/api/import/${googleRun.id}/undo`, {});
		expect(second.status).toBe(409);
		expect(await second.json()).toEqual({ error: 'already_undone' });
		expect((await report(alice, googleRun.id)).body.status).toBe('undone');
	});

	it('a file that cannot be read on from a line: the rows before it import, the report names the line', async () => {
		const csv = [
			'First Name,Last Name,E-mail',
			'Mia,Roth,mia@roth-unclosed.example',
			'"Noah,Quote,noah@roth-unclosed.example',
			'Ola,Nord,ola@roth-unclosed.example',
			''
		].join('\r\n');
		const up = await upload(alice, csv, 'unclosed.csv');
		expect(up.status).toBe(201);
		expect((up.body.preview as { line: number; outcome: string }[]).map((r) => [r.line, r.outcome])).toEqual([
			[2, 'ready'],
			[3, 'refused']
		]);
		const run = await importFile(alice, csv, 'unclosed.csv');
		expect(run.counts).toEqual({ imported: 1, updated: 0, skipped: 0, refused: 1 });
		expect(run.error).toBe('unclosed_quote');
		expect(run.rows).toEqual([{ line: 3, outcome: 'refused', reason: 'unclosed_quote', detail: null }]);
		// With the rule "create", rows imported before are still not created twice.
		const again = await importFile(alice, csv, 'unclosed.csv', 'create');
		expect(again.counts).toEqual({ imported: 0, updated: 0, skipped: 1, refused: 1 });
	});

	it('a vCard 3.0 file with two contacts', async () => {
		const vcf = [
			'BEGIN:VCARD',
			'VERSION:3.0',
			'N:Haugen;Sigrid;;;',
			'FN:Sigrid Haugen',
			'ORG:Haugen Bygg AS',
			'TITLE:Prosjektleder',
			'EMAIL;TYPE=INTERNET,WORK:sigrid@haugenbygg.example',
			'TEL;TYPE=CELL:+47 934 56 789',
			'END:VCARD',
			'BEGIN:VCARD',
			'VERSION:3.0',
			'N:Costa;Bruno;;;',
			'FN:Bruno Costa',
			'EMAIL;TYPE=INTERNET,HOME:bruno.costa@mail.example',
			'END:VCARD',
			''
		].join('\r\n');
		const up = await upload(alice, vcf, 'cards.vcf');
		expect(up.status).toBe(201);
		expect(up.body.detection).toEqual({ format: 'vcard', version: '3.0', layout: 'vcard' });
		const run = await importFile(alice, vcf, 'cards.vcf');
		expect(run.counts).toEqual({ imported: 2, updated: 0, skipped: 0, refused: 0 });
		await until(() => companyOnDevice('Haugen Bygg AS') !== undefined, 5000, 'the vCard company');
		expect(readContacts(companyOnDevice('Haugen Bygg AS')!.doc)[0]).toMatchObject({
			firstName: 'Sigrid',
			position: 'Prosjektleder',
			phone: '+47 934 56 789'
		});
		expect(
			[...deviceDocs().values()].some((d) =>
				[...contactsMap(d).values()].some((c) => c.get('email') === 'bruno.costa@mail.example')
			)
		).toBe(true);
	});
});

describe('[§8] import: forged, guessed and malformed', () => {
	let pending: string;

	beforeAll(async () => {
		const up = await upload(alice, GOOGLE, 'pending.csv');
		pending = up.body.id as string;
	});

	it('another user’s run, a guessed id and a malformed id are the same 404', async () => {
		const guessed = 'AAAAAAAAAAAAAAAAAAAAAAAA';
		for (const id of [pending, guessed, 'x', '..%2F..%2Fetc', 'a'.repeat(300)]) {
			expect((await report(bob, id)).status, id).toBe(404);
			expect((await bob.postJson(`/api/import/${id}/run`, {})).status, id).toBe(404);
			expect((await bob.postJson(`/api/import/${id}/undo`, {})).status, id).toBe(404);
		}
		// Still Alice's, untouched.
		expect((await report(alice, pending)).body.status).toBe('ready');
		expect((await alice.postJson(`/api/import/${pending}/run`, { rule: 'merge' })).status).toBe(400);
		expect((await alice.postJson(`/api/import/${pending}/run`, '{not json')).status).toBe(400);
	});

	it('no session, a portal contact’s session or another origin: refused, nothing stored', async () => {
		const files = () => fs.readdirSync(path.join(server.dataDir, 'imports')).length;
		const before = files();
		expect((await upload(new Client(server.url), GOOGLE, 'x.csv')).status).toBe(401);
		expect((await upload(alice, GOOGLE, 'x.csv', { origin: 'http://evil.example' })).status).toBe(403);
		expect((await upload(alice, GOOGLE, 'x.csv', { origin: null })).status).toBe(403);

		const seed = await seedCustomer(server, admin, 'import-portal-0001', 'Portal Import AG');
		const contactId = seed.id('contact');
		seed.contact(contactId, { firstName: 'Pia', lastName: 'Portal', email: 'pia@portal-import.example' }, ['support']);
		await seed.push(server, admin);
		await setPortalPassword(admin, contactId);
		const contact = new Client(server.url);
		expect(
			(await contact.postForm('/portal/login', { email: 'pia@portal-import.example', password: PORTAL_PASSWORD }))
				.status
		).toBe(303);
		expect((await upload(contact, GOOGLE, 'x.csv')).status).toBe(401);
		expect((await report(contact, pending)).status).toBe(401);
		expect(files()).toBe(before);
	});

	it('uploads waiting to be run are limited per user (429)', async () => {
		const csv = 'First Name,Last Name\r\nAnn,Example\r\n';
		for (let i = 0; i < 20; i++) expect((await upload(bob, csv, `wait-${i}.csv`)).status).toBe(201);
		expect(await upload(bob, csv, 'one-more.csv')).toMatchObject({ status: 429, body: { error: 'too_many_uploads' } });
		expect((await upload(alice, csv, 'alice-still.csv')).status).toBe(201);
	});

	it('binary, garbage, empty or too large files: a clear 4xx, nothing written', async () => {
		const files = () => fs.readdirSync(path.join(server.dataDir, 'imports')).length;
		const before = files();
		const docsBefore = deviceDocs().size;
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
		expect(await upload(alice, Buffer.concat([png, Buffer.alloc(200, 7)]), 'photo.csv')).toMatchObject({
			status: 422,
			body: { error: 'not_csv' }
		});
		expect(await upload(alice, '', 'empty.csv')).toMatchObject({ status: 422, body: { error: 'empty' } });
		expect(await upload(alice, 'BEGIN:VCARD\r\nVERSION:3.0\r\n', 'broken.vcf')).toMatchObject({
			status: 422,
			body: { error: 'not_vcard' }
		});
		expect((await upload(alice, 'x', 'x.csv', { query: '&delimiter=%7C' })).status).toBe(400);
		const big = 'First Name,Last Name\r\n' + 'Ann,Example\r\n'.repeat(MAX_BYTES / 12);
		expect(await upload(alice, big, 'big.csv')).toMatchObject({ status: 413, body: { error: 'too_large' } });
		expect(files()).toBe(before);
		// The server goes on serving, and nothing reached the device.
		expect((await report(alice, pending)).status).toBe(200);
		expect(deviceDocs().size).toBe(docsBefore);
	});
});
