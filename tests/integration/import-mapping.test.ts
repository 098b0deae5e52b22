/**
 * [§8] The import mapping screen's server side (issue #13 item 3): a CSV whose header nothing
 * recognises waits for a mapping (the run refuses to start); the mapping, delimiter, encoding
 * and default region the user chooses give a new preview of the first rows as they will be
 * stored; the mapping is saved for the header when the run starts, so the same header maps the
 * same way next time — for that user only. Every mapping is read strictly: forged, guessed and
 * malformed ones are a clear 4xx, never a crash, and change nothing.
 */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './helpers/http.ts';
import { chooseOptions, runReport, runToEnd, uploadFile } from './helpers/imports.ts';
import { ADMIN, startServer, type TestServer } from './helpers/server.ts';
import { staffUser } from './helpers/staff.ts';

let server: TestServer;
let admin: Client;
let carla: Client;
let dan: Client;

/** A hand-made export in a German Windows locale: `;`, Windows-1252, headers nothing knows. */
const HEADER = 'Person;Arbeitgeber;Postfach;Durchwahl;Sonstiges';
const FILE = iconv.encode(
	[
		HEADER,
		'Jürgen Weiß;Bäckerei Süd KG;juergen@baeckerei-sued.example;030 1234567;Stammkunde',
		'Zoë Brandt;;zoe@brandt-mapping.example;0171 2345678;',
		'Ohne Adresse;Bäckerei Süd KG;kein-at-zeichen;;',
		';;;0301111;nur Telefon',
		''
	].join('\r\n'),
	'win1252'
);
const MAPPING = ['field:fullName', 'field:company', 'field:email:work', 'field:phone:work', 'ignore'];

type Preview = {
	line: number;
	outcome: string;
	reason?: string;
	contact?: Record<string, unknown> | null;
	company?: string;
};
type Detection = {
	encoding: string | null;
	delimiter: string;
	layout: string;
	columns: { header: string; target: string }[];
	unmapped: string[];
	saved: boolean;
	needsMapping: boolean;
};
const detection = (b: Record<string, unknown>) => b.detection as Detection;
const preview = (b: Record<string, unknown>) => b.preview as Preview[];

beforeAll(async () => {
	server = await startServer({ LOGIN_MAX_PER_ADDRESS: '10000' });
	admin = new Client(server.url);
	expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(303);
	carla = await staffUser(server, admin, 'carla.mapping@example.com');
	dan = await staffUser(server, admin, 'dan.mapping@example.com');
});

afterAll(async () => {
	await server?.stop();
});

describe('[§8] import mapping screen', () => {
	let id: string;

	it('a header nothing recognises: read, shown with its delimiter and encoding, and the run waits for a mapping', async () => {
		const up = await uploadFile(carla, FILE, 'kunden.csv');
		expect(up.status).toBe(201);
		id = up.body.id as string;
		expect(detection(up.body)).toMatchObject({
			encoding: 'windows-1252',
			delimiter: ';',
			layout: 'custom',
			saved: false,
			needsMapping: true,
			unmapped: ['Person', 'Arbeitgeber', 'Postfach', 'Durchwahl', 'Sonstiges']
		});
		expect(detection(up.body).columns.map((c) => c.target)).toEqual(Array(5).fill('ignore'));
		const run = await carla.postJson(`/api/import/${id}/run`, { rule: 'skip' });
		expect(run.status).toBe(409);
		expect(await run.json()).toEqual({ error: 'mapping_required' });
		expect((await runReport(carla, id)).body.status).toBe('ready');
	});

	it('a mapping gives the first rows as they will be stored; encoding and delimiter can be changed', async () => {
		const mapped = await chooseOptions(carla, id, { columns: MAPPING, region: 'DE' });
		expect(mapped.status).toBe(200);
		expect(mapped.body.region).toBe('DE');
		expect(detection(mapped.body)).toMatchObject({ needsMapping: false, saved: true });
		expect(detection(mapped.body).columns.map((c) => c.target)).toEqual(MAPPING);
		const rows = preview(mapped.body);
		expect(rows.map((r) => [r.line, r.outcome, r.reason ?? null])).toEqual([
			[2, 'ready', null],
			[3, 'ready', null],
			[4, 'refused', 'bad_email'],
			[5, 'refused', 'no_name']
		]);
		expect(rows[0]).toMatchObject({
			company: 'Bäckerei Süd KG',
			contact: { firstName: 'Jürgen', lastName: 'Weiß', email: 'juergen@baeckerei-sued.example', phone: '030 1234567' }
		});

		// Read as UTF-8, the umlauts are broken: the preview shows it.
		const utf8 = await chooseOptions(carla, id, { columns: MAPPING, encoding: 'utf-8' });
		expect(utf8.status).toBe(200);
		expect(detection(utf8.body).encoding).toBe('utf-8');
		expect(preview(utf8.body)[0].contact).toMatchObject({ lastName: 'Wei\uFFFD' });

		// Another delimiter splits the header otherwise: a mapping for five columns no longer fits.
		const comma = await chooseOptions(carla, id, { delimiter: ',' });
		expect(comma.status).toBe(200);
		expect(detection(comma.body)).toMatchObject({ delimiter: ',', needsMapping: true });
		expect(detection(comma.body).columns).toHaveLength(1);
		expect(await chooseOptions(carla, id, { delimiter: ',', columns: MAPPING })).toMatchObject({
			status: 400,
			body: { error: 'bad_mapping', reason: 'column_count' }
		});

		const back = await chooseOptions(carla, id, { delimiter: ';', encoding: 'windows-1252', columns: MAPPING });
		expect(back.status).toBe(200);
		expect(preview(back.body)[0].contact).toMatchObject({ lastName: 'Weiß' });
	});

	it('the run imports as mapped and reports each row with its line and reason', async () => {
		const report = await runToEnd(carla, id);
		expect(report.status).toBe('done');
		expect(report.counts).toEqual({ imported: 2, updated: 0, skipped: 0, refused: 2 });
		expect(report.rows.filter((r) => r.outcome === 'refused').map((r) => [r.line, r.reason])).toEqual([
			[4, 'bad_email'],
			[5, 'no_name']
		]);
	});

	it('the same header maps the same way next time, for the same user only', async () => {
		const again = await uploadFile(carla, FILE, 'kunden-2.csv');
		expect(again.status).toBe(201);
		expect(detection(again.body)).toMatchObject({ saved: true, needsMapping: false, unmapped: [] });
		expect(detection(again.body).columns.map((c) => c.target)).toEqual(MAPPING);
		// The same file again creates nothing new.
		const report = await runToEnd(carla, again.body.id as string);
		expect(report.counts).toEqual({ imported: 0, updated: 0, skipped: 2, refused: 2 });

		const other = await uploadFile(dan, FILE, 'kunden.csv');
		expect(detection(other.body)).toMatchObject({ saved: false, needsMapping: true });
	});
});

describe('[§8] import mapping: forged, guessed and malformed', () => {
	let pending: string;

	beforeAll(async () => {
		// Another header: no mapping saved for it yet.
		const file = iconv.decode(FILE, 'win1252').replace('Sonstiges', 'Anderes');
		pending = (await uploadFile(carla, iconv.encode(file, 'win1252'), 'pending.csv')).body.id as string;
	});

	it('another user’s run, an admin, a guessed or malformed id: the same 404, the run untouched', async () => {
		for (const [who, c] of [
			['dan', dan],
			['admin', admin]
		] as const) {
			expect((await chooseOptions(c, pending, { columns: MAPPING })).status, who).toBe(404);
			expect((await runReport(c, pending)).status, who).toBe(404);
			expect((await c.postJson(`/api/import/${pending}/run`, {})).status, who).toBe(404);
		}
		for (const bad of ['AAAAAAAAAAAAAAAAAAAAAAAA', 'x', '..%2F..%2Fetc'])
			expect((await chooseOptions(carla, bad, {})).status, bad).toBe(404);
		expect((await chooseOptions(new Client(server.url), pending, {})).status).toBe(401);
		const still = await runReport(carla, pending);
		expect(still.body.status).toBe('ready');
	});

	it('garbage, unknown targets, out-of-range columns and huge payloads: a clear 400 or 413', async () => {
		const cases: [unknown, number, Record<string, unknown>][] = [
			['{not json', 400, { error: 'bad_options', param: 'json' }],
			['[]', 400, { error: 'bad_options', param: 'json' }],
			['null', 400, { error: 'bad_options', param: 'json' }],
			[{ columns: MAPPING, role: 'admin' }, 400, { error: 'bad_options', param: 'role' }],
			[{ columns: 'field:fullName' }, 400, { error: 'bad_options', param: 'columns' }],
			[{ delimiter: '|' }, 400, { error: 'bad_options', param: 'delimiter' }],
			[{ encoding: 'ebcdic' }, 400, { error: 'bad_options', param: 'encoding' }],
			[{ region: 'XX' }, 400, { error: 'bad_options', param: 'region' }],
			[{ region: '../' }, 400, { error: 'bad_options', param: 'region' }],
			[{ columns: [...MAPPING.slice(0, 4), 'field:password'] }, 400, { reason: 'unknown_target', column: 4 }],
			[{ columns: ['field:__proto__', ...MAPPING.slice(1)] }, 400, { reason: 'unknown_target', column: 0 }],
			[{ columns: [...MAPPING, 'ignore'] }, 400, { reason: 'column_count' }],
			[{ columns: MAPPING.slice(0, 4) }, 400, { reason: 'column_count' }],
			[{ columns: [1, 2, 3, 4, 5] }, 400, { reason: 'unknown_target', column: 0 }],
			[{ columns: new Array(5000).fill('ignore') }, 400, { error: 'bad_options', param: 'columns' }],
			[{ columns: ['x'.repeat(200_000)] }, 413, { error: 'too_large' }]
		];
		for (const [body, status, answer] of cases) {
			const res = await chooseOptions(carla, pending, body);
			expect(res, JSON.stringify(body).slice(0, 80)).toMatchObject({ status, body: answer });
		}
		// Nothing of that was kept: the run still waits for a mapping, and the server serves on.
		const run = await carla.postJson(`/api/import/${pending}/run`, {});
		expect(run.status).toBe(409);
		expect((await chooseOptions(carla, pending, { columns: MAPPING })).status).toBe(200);
	});

	it('a mapping cannot change a run that has started', async () => {
		const report = await runToEnd(carla, pending);
		expect(report.status).toBe('done');
		expect(await chooseOptions(carla, pending, { columns: MAPPING })).toMatchObject({
			status: 409,
			body: { error: 'already_run' }
		});
	});
});
